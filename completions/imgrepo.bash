#!/bin/bash

__imgrepo_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__imgrepo_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__imgrepo_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__imgrepo_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_imgrepo() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __imgrepo_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    init|upload|get|delete|list|details|thumbnail|stats|verify|index|similar|duplicates|migrate-catalog|rebuild-catalog|help)
        # Offer subcommand argument completions
        "_imgrepo_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'init upload get delete list details thumbnail stats verify index similar duplicates migrate-catalog rebuild-catalog help' -- "${cur}"))
        ;;
    esac
}

_imgrepo_init() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--repo --database)
    __imgrepo_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--repo')
        __imgrepo_add_completions -d
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_imgrepo_upload() {
    repeating_flags=()
    non_repeating_flags=(-0 --follow-symlinks --hidden --strict --rehash --dry-run --allow-damaged --progress --no-progress --quiet -q --summary-json --json --no-headers --version -h --help)
    repeating_options=(--include --exclude)
    non_repeating_options=(--repo --database --from-file --owner --name --max-depth --thumbnails --fingerprints --dedup --format --fields --tz)
    __imgrepo_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--repo')
        __imgrepo_add_completions -d
        return
        ;;
    '--database')
        return
        ;;
    '--from-file')
        __imgrepo_add_completions -f
        return
        ;;
    '--owner')
        return
        ;;
    '--name')
        return
        ;;
    '--max-depth')
        return
        ;;
    '--include')
        return
        ;;
    '--exclude')
        return
        ;;
    '--thumbnails')
        return
        ;;
    '--fingerprints')
        return
        ;;
    '--dedup')
        return
        ;;
    '--format')
        __imgrepo_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''tsv'
        return
        ;;
    '--fields')
        return
        ;;
    '--tz')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __imgrepo_add_completions -o plusdirs -fX '!*.@(jpg|jpeg|png|gif|webp|tif|tiff|bmp|heic|heif|avif|JPG|JPEG|PNG|GIF|WEBP|TIF|TIFF|BMP|HEIC|HEIF|AVIF)'
        return
        ;;
    esac
}

_imgrepo_get() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--repo --database -o --output)
    __imgrepo_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--repo')
        __imgrepo_add_completions -d
        return
        ;;
    '--database')
        return
        ;;
    '-o'|'--output')
        __imgrepo_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __imgrepo_add_completions -W "$(__imgrepo_custom_complete ---completion get -- positional@0 "${COMP_CWORD}" "$(__imgrepo_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_imgrepo_delete() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--repo --database)
    __imgrepo_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--repo')
        __imgrepo_add_completions -d
        return
        ;;
    '--database')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __imgrepo_add_completions -W "$(__imgrepo_custom_complete ---completion delete -- positional@0 "${COMP_CWORD}" "$(__imgrepo_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_imgrepo_list() {
    repeating_flags=()
    non_repeating_flags=(--has-gps --no-gps --json --no-headers --reverse --count --version -h --help)
    repeating_options=(--taken --uploaded --make --model --camera --lens --iso --fnumber --exposure --focal --type --name --size --width --height --pixels --orientation --near --bbox --keyword --rating --owner --where)
    non_repeating_options=(--repo --database --format --fields --tz --sort --limit --offset --after --similar-to --max-distance)
    __imgrepo_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--repo')
        __imgrepo_add_completions -d
        return
        ;;
    '--database')
        return
        ;;
    '--taken')
        return
        ;;
    '--uploaded')
        return
        ;;
    '--make')
        return
        ;;
    '--model')
        return
        ;;
    '--camera')
        return
        ;;
    '--lens')
        return
        ;;
    '--iso')
        return
        ;;
    '--fnumber')
        return
        ;;
    '--exposure')
        return
        ;;
    '--focal')
        return
        ;;
    '--type')
        __imgrepo_add_completions -W 'jpeg'$'\n''png'$'\n''gif'$'\n''webp'$'\n''tiff'$'\n''bmp'$'\n''heic'$'\n''heif'$'\n''avif'
        return
        ;;
    '--name')
        return
        ;;
    '--size')
        return
        ;;
    '--width')
        return
        ;;
    '--height')
        return
        ;;
    '--pixels')
        return
        ;;
    '--orientation')
        __imgrepo_add_completions -W 'landscape'$'\n''portrait'$'\n''square'
        return
        ;;
    '--near')
        return
        ;;
    '--bbox')
        return
        ;;
    '--keyword')
        return
        ;;
    '--rating')
        return
        ;;
    '--owner')
        return
        ;;
    '--where')
        return
        ;;
    '--format')
        __imgrepo_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''tsv'
        return
        ;;
    '--fields')
        return
        ;;
    '--tz')
        return
        ;;
    '--sort')
        return
        ;;
    '--limit')
        return
        ;;
    '--offset')
        return
        ;;
    '--after')
        return
        ;;
    '--similar-to')
        __imgrepo_add_completions -W "$(__imgrepo_custom_complete ---completion list -- --similar-to "${COMP_CWORD}" "$(__imgrepo_cursor_index_in_current_word)")"
        return
        ;;
    '--max-distance')
        return
        ;;
    esac
}

_imgrepo_details() {
    repeating_flags=()
    non_repeating_flags=(--json --no-headers --version -h --help)
    repeating_options=()
    non_repeating_options=(--repo --database --format --fields --tz)
    __imgrepo_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--repo')
        __imgrepo_add_completions -d
        return
        ;;
    '--database')
        return
        ;;
    '--format')
        __imgrepo_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''tsv'
        return
        ;;
    '--fields')
        return
        ;;
    '--tz')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __imgrepo_add_completions -W "$(__imgrepo_custom_complete ---completion details -- positional@0 "${COMP_CWORD}" "$(__imgrepo_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_imgrepo_thumbnail() {
    repeating_flags=()
    non_repeating_flags=(--no-cache --json --prune --version -h --help)
    repeating_options=()
    non_repeating_options=(--repo --database --size --fit --format --quality -o --output --max-pixels)
    __imgrepo_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--repo')
        __imgrepo_add_completions -d
        return
        ;;
    '--database')
        return
        ;;
    '--size')
        return
        ;;
    '--fit')
        return
        ;;
    '--format')
        __imgrepo_add_completions -W 'jpeg'$'\n''png'$'\n''webp'
        return
        ;;
    '--quality')
        return
        ;;
    '-o'|'--output')
        __imgrepo_add_completions -f
        return
        ;;
    '--max-pixels')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __imgrepo_add_completions -W "$(__imgrepo_custom_complete ---completion thumbnail -- positional@0 "${COMP_CWORD}" "$(__imgrepo_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_imgrepo_stats() {
    repeating_flags=()
    non_repeating_flags=(--has-gps --no-gps --json --no-headers --version -h --help)
    repeating_options=(--taken --uploaded --make --model --camera --lens --iso --fnumber --exposure --focal --type --name --size --width --height --pixels --orientation --near --bbox --keyword --rating --owner --where)
    non_repeating_options=(--repo --database --format --fields --tz)
    __imgrepo_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--repo')
        __imgrepo_add_completions -d
        return
        ;;
    '--database')
        return
        ;;
    '--taken')
        return
        ;;
    '--uploaded')
        return
        ;;
    '--make')
        return
        ;;
    '--model')
        return
        ;;
    '--camera')
        return
        ;;
    '--lens')
        return
        ;;
    '--iso')
        return
        ;;
    '--fnumber')
        return
        ;;
    '--exposure')
        return
        ;;
    '--focal')
        return
        ;;
    '--type')
        __imgrepo_add_completions -W 'jpeg'$'\n''png'$'\n''gif'$'\n''webp'$'\n''tiff'$'\n''bmp'$'\n''heic'$'\n''heif'$'\n''avif'
        return
        ;;
    '--name')
        return
        ;;
    '--size')
        return
        ;;
    '--width')
        return
        ;;
    '--height')
        return
        ;;
    '--pixels')
        return
        ;;
    '--orientation')
        __imgrepo_add_completions -W 'landscape'$'\n''portrait'$'\n''square'
        return
        ;;
    '--near')
        return
        ;;
    '--bbox')
        return
        ;;
    '--keyword')
        return
        ;;
    '--rating')
        return
        ;;
    '--owner')
        return
        ;;
    '--where')
        return
        ;;
    '--format')
        __imgrepo_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''tsv'
        return
        ;;
    '--fields')
        return
        ;;
    '--tz')
        return
        ;;
    esac
}

_imgrepo_verify() {
    repeating_flags=()
    non_repeating_flags=(--json --no-headers --quick --repair --drop-missing --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--repo --database --format --fields --tz --sample)
    __imgrepo_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--repo')
        __imgrepo_add_completions -d
        return
        ;;
    '--database')
        return
        ;;
    '--format')
        __imgrepo_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''tsv'
        return
        ;;
    '--fields')
        return
        ;;
    '--tz')
        return
        ;;
    '--sample')
        return
        ;;
    esac
}

_imgrepo_index() {
    repeating_flags=()
    non_repeating_flags=(--pixel-hash --perceptual-hash --all --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--repo --database)
    __imgrepo_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--repo')
        __imgrepo_add_completions -d
        return
        ;;
    '--database')
        return
        ;;
    esac
}

_imgrepo_similar() {
    repeating_flags=()
    non_repeating_flags=(--has-gps --no-gps --json --no-headers --version -h --help)
    repeating_options=(--taken --uploaded --make --model --camera --lens --iso --fnumber --exposure --focal --type --name --size --width --height --pixels --orientation --near --bbox --keyword --rating --owner --where)
    non_repeating_options=(--repo --database --format --fields --tz --max-distance --limit)
    __imgrepo_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--repo')
        __imgrepo_add_completions -d
        return
        ;;
    '--database')
        return
        ;;
    '--taken')
        return
        ;;
    '--uploaded')
        return
        ;;
    '--make')
        return
        ;;
    '--model')
        return
        ;;
    '--camera')
        return
        ;;
    '--lens')
        return
        ;;
    '--iso')
        return
        ;;
    '--fnumber')
        return
        ;;
    '--exposure')
        return
        ;;
    '--focal')
        return
        ;;
    '--type')
        __imgrepo_add_completions -W 'jpeg'$'\n''png'$'\n''gif'$'\n''webp'$'\n''tiff'$'\n''bmp'$'\n''heic'$'\n''heif'$'\n''avif'
        return
        ;;
    '--name')
        return
        ;;
    '--size')
        return
        ;;
    '--width')
        return
        ;;
    '--height')
        return
        ;;
    '--pixels')
        return
        ;;
    '--orientation')
        __imgrepo_add_completions -W 'landscape'$'\n''portrait'$'\n''square'
        return
        ;;
    '--near')
        return
        ;;
    '--bbox')
        return
        ;;
    '--keyword')
        return
        ;;
    '--rating')
        return
        ;;
    '--owner')
        return
        ;;
    '--where')
        return
        ;;
    '--format')
        __imgrepo_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''tsv'
        return
        ;;
    '--fields')
        return
        ;;
    '--tz')
        return
        ;;
    '--max-distance')
        return
        ;;
    '--limit')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __imgrepo_add_completions -W "$(__imgrepo_custom_complete ---completion similar -- positional@0 "${COMP_CWORD}" "$(__imgrepo_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_imgrepo_duplicates() {
    repeating_flags=()
    non_repeating_flags=(--json --no-headers --version -h --help)
    repeating_options=()
    non_repeating_options=(--repo --database --format --fields --tz --by --max-distance)
    __imgrepo_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--repo')
        __imgrepo_add_completions -d
        return
        ;;
    '--database')
        return
        ;;
    '--format')
        __imgrepo_add_completions -W 'table'$'\n''json'$'\n''ndjson'$'\n''csv'$'\n''tsv'
        return
        ;;
    '--fields')
        return
        ;;
    '--tz')
        return
        ;;
    '--by')
        return
        ;;
    '--max-distance')
        return
        ;;
    esac
}

_imgrepo_migrate-catalog() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--repo --database --to)
    __imgrepo_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--repo')
        __imgrepo_add_completions -d
        return
        ;;
    '--database')
        return
        ;;
    '--to')
        return
        ;;
    esac
}

_imgrepo_rebuild-catalog() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--repo --database --owner)
    __imgrepo_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--repo')
        __imgrepo_add_completions -d
        return
        ;;
    '--database')
        return
        ;;
    '--owner')
        return
        ;;
    esac
}

_imgrepo_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __imgrepo_offer_flags_options -1
}

complete -o filenames -F _imgrepo imgrepo
