function __imgrepo_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __imgrepo_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __imgrepo_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __imgrepo_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __imgrepo_parse_tokens -S
    set -l unparsed_tokens (__imgrepo_tokens -pc)
    switch $unparsed_tokens[1]
    case 'imgrepo'
        __imgrepo_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'init'
            __imgrepo_parse_subcommand 0 'repo=' 'database=' 'version' 'h/help'
        case 'upload'
            __imgrepo_parse_subcommand -r 1 'repo=' 'database=' 'from-file=' '0' 'owner=' 'name=' 'max-depth=' 'follow-symlinks' 'hidden' 'include=+' 'exclude=+' 'strict' 'rehash' 'dry-run' 'allow-damaged' 'thumbnails=' 'fingerprints=' 'dedup=' 'progress' 'no-progress' 'q/quiet' 'summary-json' 'format=' 'json' 'fields=' 'no-headers' 'tz=' 'version' 'h/help'
        case 'get'
            __imgrepo_parse_subcommand 1 'repo=' 'database=' 'o/output=' 'version' 'h/help'
        case 'delete'
            __imgrepo_parse_subcommand -r 1 'repo=' 'database=' 'json' 'version' 'h/help'
        case 'list'
            __imgrepo_parse_subcommand 0 'repo=' 'database=' 'taken=+' 'uploaded=+' 'make=+' 'model=+' 'camera=+' 'lens=+' 'iso=+' 'fnumber=+' 'exposure=+' 'focal=+' 'type=+' 'name=+' 'size=+' 'width=+' 'height=+' 'pixels=+' 'orientation=+' 'has-gps' 'no-gps' 'near=+' 'bbox=+' 'keyword=+' 'rating=+' 'owner=+' 'where=+' 'format=' 'json' 'fields=' 'no-headers' 'tz=' 'sort=' 'reverse' 'limit=' 'offset=' 'after=' 'count' 'similar-to=' 'max-distance=' 'version' 'h/help'
        case 'details'
            __imgrepo_parse_subcommand 1 'repo=' 'database=' 'format=' 'json' 'fields=' 'no-headers' 'tz=' 'version' 'h/help'
        case 'thumbnail'
            __imgrepo_parse_subcommand -r 1 'repo=' 'database=' 'size=' 'fit=' 'format=' 'quality=' 'o/output=' 'no-cache' 'max-pixels=' 'json' 'prune' 'version' 'h/help'
        case 'stats'
            __imgrepo_parse_subcommand 0 'repo=' 'database=' 'taken=+' 'uploaded=+' 'make=+' 'model=+' 'camera=+' 'lens=+' 'iso=+' 'fnumber=+' 'exposure=+' 'focal=+' 'type=+' 'name=+' 'size=+' 'width=+' 'height=+' 'pixels=+' 'orientation=+' 'has-gps' 'no-gps' 'near=+' 'bbox=+' 'keyword=+' 'rating=+' 'owner=+' 'where=+' 'format=' 'json' 'fields=' 'no-headers' 'tz=' 'version' 'h/help'
        case 'verify'
            __imgrepo_parse_subcommand 0 'repo=' 'database=' 'format=' 'json' 'fields=' 'no-headers' 'tz=' 'quick' 'sample=' 'repair' 'drop-missing' 'force' 'version' 'h/help'
        case 'index'
            __imgrepo_parse_subcommand 0 'repo=' 'database=' 'pixel-hash' 'perceptual-hash' 'all' 'json' 'version' 'h/help'
        case 'similar'
            __imgrepo_parse_subcommand 1 'repo=' 'database=' 'taken=+' 'uploaded=+' 'make=+' 'model=+' 'camera=+' 'lens=+' 'iso=+' 'fnumber=+' 'exposure=+' 'focal=+' 'type=+' 'name=+' 'size=+' 'width=+' 'height=+' 'pixels=+' 'orientation=+' 'has-gps' 'no-gps' 'near=+' 'bbox=+' 'keyword=+' 'rating=+' 'owner=+' 'where=+' 'format=' 'json' 'fields=' 'no-headers' 'tz=' 'max-distance=' 'limit=' 'version' 'h/help'
        case 'duplicates'
            __imgrepo_parse_subcommand 0 'repo=' 'database=' 'format=' 'json' 'fields=' 'no-headers' 'tz=' 'by=' 'max-distance=' 'version' 'h/help'
        case 'migrate-catalog'
            __imgrepo_parse_subcommand 0 'repo=' 'database=' 'to=' 'version' 'h/help'
        case 'rebuild-catalog'
            __imgrepo_parse_subcommand 0 'repo=' 'database=' 'owner=' 'json' 'version' 'h/help'
        case 'help'
            __imgrepo_parse_subcommand -r 1 'version'
        end
    end
end

function __imgrepo_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __imgrepo_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __imgrepo_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __imgrepo_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__imgrepo_tokens -p)
    if test -z "$(__imgrepo_tokens -t)"
        set -l index (count (__imgrepo_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'imgrepo' -f
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo" version' -l 'version' -d 'Show the version.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo" -eq 1' -fa 'init' -d 'Create a repository.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo" -eq 1' -fa 'upload' -d 'Store image files and folders, and catalogue them.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo" -eq 1' -fa 'get' -d 'Write an image\'s original bytes.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo" -eq 1' -fa 'delete' -d 'Delete images: their catalogue rows, then their bytes.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo" -eq 1' -fa 'list' -d 'List catalogued images: filtered, sorted, paged, in any output format.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo" -eq 1' -fa 'details' -d 'Show everything known about an image.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo" -eq 1' -fa 'thumbnail' -d 'Write right-side-up thumbnails of images, cached in the repository.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo" -eq 1' -fa 'stats' -d 'Totals and breakdowns by format, camera and year, over all or filtered images.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo" -eq 1' -fa 'verify' -d 'Check the repository: every image has its bytes, every blob its hash, nothing left over.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo" -eq 1' -fa 'index' -d 'Compute the pixel and perceptual hashes that images lack.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo" -eq 1' -fa 'similar' -d 'The images that look most like an image (perceptual hash).'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo" -eq 1' -fa 'duplicates' -d 'Groups of the same image: same bytes, same pixels, or similar looks.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo" -eq 1' -fa 'migrate-catalog' -d 'Copy the catalogue to another database and switch the repository to it.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo" -eq 1' -fa 'rebuild-catalog' -d 'Catalogue again every stored image that has no catalogue row (a lost catalogue or config).'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo init" repo' -l 'repo' -d 'The repository folder.' -rfa '(__imgrepo_complete_directories)'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo init" database' -l 'database' -d 'Catalogue URL, replacing the repository\'s own (sqlite:PATH, mysql://USER@HOST[:PORT]/DB).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo init" version' -l 'version' -d 'Show the version.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" repo' -l 'repo' -d 'The repository folder.' -rfa '(__imgrepo_complete_directories)'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" database' -l 'database' -d 'Catalogue URL, replacing the repository\'s own (sqlite:PATH, mysql://USER@HOST[:PORT]/DB).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo upload" -ge 1' -fa '(set -l exts \'jpg\' \'jpeg\' \'png\' \'gif\' \'webp\' \'tif\' \'tiff\' \'bmp\' \'heic\' \'heif\' \'avif\' \'JPG\' \'JPEG\' \'PNG\' \'GIF\' \'WEBP\' \'TIF\' \'TIFF\' \'BMP\' \'HEIC\' \'HEIF\' \'AVIF\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" from-file' -l 'from-file' -d 'Read paths from this file, one per line (\'-\' for standard input).' -rF
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" 0' -s '0' -d 'With --from-file: paths are separated by NUL bytes (find -print0).'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" owner' -l 'owner' -d 'Owner recorded for the images (default: IMGREPO_OWNER, config \'owner\', login name).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" name' -l 'name' -d 'Name recorded instead of the file\'s own (one file only; for \'-\' the default is \'stdin\').' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" max-depth' -l 'max-depth' -d 'Walk folders at most this deep (1: only their direct entries).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" follow-symlinks' -l 'follow-symlinks' -d 'Follow symbolic links found in folders (loops are detected).'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" hidden' -l 'hidden' -d 'Take hidden files and folders (names starting with \'.\').'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload"' -l 'include' -d 'Only files found in folders that match this glob (repeatable).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload"' -l 'exclude' -d 'Leave out files and folders matching this glob (repeatable).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" strict' -l 'strict' -d 'Treat every skip as a failure.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" rehash' -l 'rehash' -d 'Hash every file, ignoring the cache of files already imported from this machine.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" dry-run' -l 'dry-run' -d 'Say what would happen to each file, and write nothing.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" allow-damaged' -l 'allow-damaged' -d 'Store files whose structure is damaged (e.g. a truncated JPEG) instead of refusing them.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" thumbnails' -l 'thumbnails' -d 'Make and cache thumbnails at import time: longest sides, comma-separated (e.g. 256,1024), as JPEG.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" fingerprints' -l 'fingerprints' -d 'Fingerprints to compute at import: pixel, perceptual (comma-separated), all, or none (default; \'imgrepo index\' adds them later).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" dedup' -l 'dedup' -d 'bytes (default): a file is a duplicate when its bytes are stored; pixels: also when its decoded pixels are (implies the pixel hash).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" progress' -l 'progress' -d 'Show a progress line on stderr (default: only when stderr is a terminal).'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" no-progress' -l 'no-progress' -d 'Show a progress line on stderr (default: only when stderr is a terminal).'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" q quiet' -l 'quiet' -s 'q' -d 'Print only failures and errors: no per-file lines for the rest, no summary, no progress.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" summary-json' -l 'summary-json' -d 'Print the summary as a final JSON object on stdout instead of text on stderr.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" format' -l 'format' -d 'Output format: table, json, ndjson, csv or tsv.' -rfka 'table json ndjson csv tsv'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" json' -l 'json' -d 'Shorthand for --format json.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" fields' -l 'fields' -d 'Comma-separated fields to print, in order (docs/json.md lists them).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" no-headers' -l 'no-headers' -d 'Leave out the header line of table, csv and tsv output.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" tz' -l 'tz' -d 'Time zone for times shown in tables: local, UTC, +02:00, Europe/Paris.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" version' -l 'version' -d 'Show the version.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo upload" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo get" repo' -l 'repo' -d 'The repository folder.' -rfa '(__imgrepo_complete_directories)'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo get" database' -l 'database' -d 'Catalogue URL, replacing the repository\'s own (sqlite:PATH, mysql://USER@HOST[:PORT]/DB).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo get" -eq 1' -fka '(__imgrepo_custom_completion ---completion get -- positional@0 (count (__imgrepo_tokens -pc)) (__imgrepo_tokens -tC))'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo get" o output' -s 'o' -l 'output' -d 'Output file, folder (ending in /) or - for stdout.' -rF
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo get" version' -l 'version' -d 'Show the version.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo get" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo delete" repo' -l 'repo' -d 'The repository folder.' -rfa '(__imgrepo_complete_directories)'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo delete" database' -l 'database' -d 'Catalogue URL, replacing the repository\'s own (sqlite:PATH, mysql://USER@HOST[:PORT]/DB).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo delete" -ge 1' -fka '(__imgrepo_custom_completion ---completion delete -- positional@0 (count (__imgrepo_tokens -pc)) (__imgrepo_tokens -tC))'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo delete" json' -l 'json' -d 'Print one JSON object per deleted image.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo delete" version' -l 'version' -d 'Show the version.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo delete" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" repo' -l 'repo' -d 'The repository folder.' -rfa '(__imgrepo_complete_directories)'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" database' -l 'database' -d 'Catalogue URL, replacing the repository\'s own (sqlite:PATH, mysql://USER@HOST[:PORT]/DB).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'taken' -d 'Camera time range: 2024, 2023-06..2023-08-15, 2023.., ..2022-12-31.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'uploaded' -d 'Upload time range, in the local time zone unless an offset is given.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'make' -d 'Camera make: text it contains, or a glob (\'Canon*\'); any case.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'model' -d 'Camera model: text it contains, or a glob; any case.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'camera' -d 'Make or model: text either contains, or a glob; any case.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'lens' -d 'Lens model: text it contains, or a glob; any case.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'iso' -d 'ISO range: 100..400, 1600.., 200.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'fnumber' -d 'F-number range: ..2.8.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'exposure' -d 'Exposure time range in seconds: ..1/250.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'focal' -d 'Focal length range in mm: 24..70.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'type' -d 'Formats, comma-separated: jpeg,png,gif,webp,tiff,bmp,heic,heif,avif.' -rfka 'jpeg png gif webp tiff bmp heic heif avif'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'name' -d 'Original name, a case-insensitive glob (\'IMG_*.JPG\').' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'size' -d 'File size range with K, M, G units: 5M...' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'width' -d 'Width range in pixels.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'height' -d 'Height range in pixels.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'pixels' -d 'Pixel count range: 12M...' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'orientation' -d 'landscape, portrait or square, as displayed (EXIF orientation applied).' -rfka 'landscape portrait square'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" has-gps' -l 'has-gps' -d 'Only images with GPS coordinates.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" no-gps' -l 'no-gps' -d 'Only images without GPS coordinates.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'near' -d 'Within KM kilometres of a point: 48.8566,2.3522,25.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'bbox' -d 'Inside a box: south,west,north,east (west > east crosses 180°).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'keyword' -d 'XMP keyword (dc:subject): a case-insensitive glob over each keyword (\'beach\', \'holi*\').' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'rating' -d 'XMP rating range, -1 (rejected) to 5: 4.., 3..4, 5, -1.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'owner' -d 'Uploaded by this owner.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list"' -l 'where' -d 'An expression over named fields (docs/query-language.md): taken >= 2023-06 and (make = "Canon" or iso > 1600).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" format' -l 'format' -d 'Output format: table, json, ndjson, csv or tsv.' -rfka 'table json ndjson csv tsv'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" json' -l 'json' -d 'Shorthand for --format json.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" fields' -l 'fields' -d 'Comma-separated fields to print, in order (docs/json.md lists them).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" no-headers' -l 'no-headers' -d 'Leave out the header line of table, csv and tsv output.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" tz' -l 'tz' -d 'Time zone for times shown in tables: local, UTC, +02:00, Europe/Paris.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" sort' -l 'sort' -d 'Sort keys, \'-\' for descending: taken,-size (default id).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" reverse' -l 'reverse' -d 'Reverse the whole order.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" limit' -l 'limit' -d 'At most this many images.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" offset' -l 'offset' -d 'Skip this many images first.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" after' -l 'after' -d 'Only images after the image with this id in this order (stable paging).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" count' -l 'count' -d 'Print only the number of matching images.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" similar-to' -l 'similar-to' -d 'Only images that look like this one (perceptual hash, computed first for the images without one; the image itself is left out).' -rfka '(__imgrepo_custom_completion ---completion list -- --similar-to (count (__imgrepo_tokens -pc)) (__imgrepo_tokens -tC))'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" max-distance' -l 'max-distance' -d 'With --similar-to: largest Hamming distance, 0–64 (default 12).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" version' -l 'version' -d 'Show the version.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo details" repo' -l 'repo' -d 'The repository folder.' -rfa '(__imgrepo_complete_directories)'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo details" database' -l 'database' -d 'Catalogue URL, replacing the repository\'s own (sqlite:PATH, mysql://USER@HOST[:PORT]/DB).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo details" format' -l 'format' -d 'Output format: table, json, ndjson, csv or tsv.' -rfka 'table json ndjson csv tsv'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo details" json' -l 'json' -d 'Shorthand for --format json.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo details" fields' -l 'fields' -d 'Comma-separated fields to print, in order (docs/json.md lists them).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo details" no-headers' -l 'no-headers' -d 'Leave out the header line of table, csv and tsv output.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo details" tz' -l 'tz' -d 'Time zone for times shown in tables: local, UTC, +02:00, Europe/Paris.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo details" -eq 1' -fka '(__imgrepo_custom_completion ---completion details -- positional@0 (count (__imgrepo_tokens -pc)) (__imgrepo_tokens -tC))'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo details" version' -l 'version' -d 'Show the version.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo details" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo thumbnail" repo' -l 'repo' -d 'The repository folder.' -rfa '(__imgrepo_complete_directories)'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo thumbnail" database' -l 'database' -d 'Catalogue URL, replacing the repository\'s own (sqlite:PATH, mysql://USER@HOST[:PORT]/DB).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo thumbnail" -ge 1' -fka '(__imgrepo_custom_completion ---completion thumbnail -- positional@0 (count (__imgrepo_tokens -pc)) (__imgrepo_tokens -tC))'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo thumbnail" size' -l 'size' -d 'Longest side in pixels (1–16384).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo thumbnail" fit' -l 'fit' -d 'Fit inside a box of W×H pixels instead of --size.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo thumbnail" format' -l 'format' -d 'Encoding: jpeg, png or webp.' -rfka 'jpeg png webp'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo thumbnail" quality' -l 'quality' -d 'JPEG/WebP quality, 1–100 (default 85 for JPEG, 80 for WebP).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo thumbnail" o output' -s 'o' -l 'output' -d 'Output file, folder (ending in /) or - for stdout.' -rF
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo thumbnail" no-cache' -l 'no-cache' -d 'Neither read nor write the thumbnail cache.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo thumbnail" max-pixels' -l 'max-pixels' -d 'Refuse images with more pixels than this (e.g. 128M, 50000000).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo thumbnail" json' -l 'json' -d 'Print one JSON record per thumbnail (needs -o).'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo thumbnail" prune' -l 'prune' -d 'Empty the thumbnail cache (takes no ids).'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo thumbnail" version' -l 'version' -d 'Show the version.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo thumbnail" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats" repo' -l 'repo' -d 'The repository folder.' -rfa '(__imgrepo_complete_directories)'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats" database' -l 'database' -d 'Catalogue URL, replacing the repository\'s own (sqlite:PATH, mysql://USER@HOST[:PORT]/DB).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'taken' -d 'Camera time range: 2024, 2023-06..2023-08-15, 2023.., ..2022-12-31.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'uploaded' -d 'Upload time range, in the local time zone unless an offset is given.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'make' -d 'Camera make: text it contains, or a glob (\'Canon*\'); any case.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'model' -d 'Camera model: text it contains, or a glob; any case.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'camera' -d 'Make or model: text either contains, or a glob; any case.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'lens' -d 'Lens model: text it contains, or a glob; any case.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'iso' -d 'ISO range: 100..400, 1600.., 200.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'fnumber' -d 'F-number range: ..2.8.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'exposure' -d 'Exposure time range in seconds: ..1/250.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'focal' -d 'Focal length range in mm: 24..70.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'type' -d 'Formats, comma-separated: jpeg,png,gif,webp,tiff,bmp,heic,heif,avif.' -rfka 'jpeg png gif webp tiff bmp heic heif avif'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'name' -d 'Original name, a case-insensitive glob (\'IMG_*.JPG\').' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'size' -d 'File size range with K, M, G units: 5M...' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'width' -d 'Width range in pixels.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'height' -d 'Height range in pixels.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'pixels' -d 'Pixel count range: 12M...' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'orientation' -d 'landscape, portrait or square, as displayed (EXIF orientation applied).' -rfka 'landscape portrait square'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats" has-gps' -l 'has-gps' -d 'Only images with GPS coordinates.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats" no-gps' -l 'no-gps' -d 'Only images without GPS coordinates.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'near' -d 'Within KM kilometres of a point: 48.8566,2.3522,25.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'bbox' -d 'Inside a box: south,west,north,east (west > east crosses 180°).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'keyword' -d 'XMP keyword (dc:subject): a case-insensitive glob over each keyword (\'beach\', \'holi*\').' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'rating' -d 'XMP rating range, -1 (rejected) to 5: 4.., 3..4, 5, -1.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'owner' -d 'Uploaded by this owner.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats"' -l 'where' -d 'An expression over named fields (docs/query-language.md): taken >= 2023-06 and (make = "Canon" or iso > 1600).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats" format' -l 'format' -d 'Output format: table, json, ndjson, csv or tsv.' -rfka 'table json ndjson csv tsv'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats" json' -l 'json' -d 'Shorthand for --format json.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats" fields' -l 'fields' -d 'Comma-separated fields to print, in order (docs/json.md lists them).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats" no-headers' -l 'no-headers' -d 'Leave out the header line of table, csv and tsv output.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats" tz' -l 'tz' -d 'Time zone for times shown in tables: local, UTC, +02:00, Europe/Paris.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats" version' -l 'version' -d 'Show the version.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo stats" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo verify" repo' -l 'repo' -d 'The repository folder.' -rfa '(__imgrepo_complete_directories)'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo verify" database' -l 'database' -d 'Catalogue URL, replacing the repository\'s own (sqlite:PATH, mysql://USER@HOST[:PORT]/DB).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo verify" format' -l 'format' -d 'Output format: table, json, ndjson, csv or tsv.' -rfka 'table json ndjson csv tsv'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo verify" json' -l 'json' -d 'Shorthand for --format json.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo verify" fields' -l 'fields' -d 'Comma-separated fields to print, in order (docs/json.md lists them).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo verify" no-headers' -l 'no-headers' -d 'Leave out the header line of table, csv and tsv output.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo verify" tz' -l 'tz' -d 'Time zone for times shown in tables: local, UTC, +02:00, Europe/Paris.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo verify" quick' -l 'quick' -d 'Compare each blob\'s size with the catalogue instead of re-hashing it.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo verify" sample' -l 'sample' -d 'Re-hash only this share of the blobs, chosen at random (e.g. 10%).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo verify" repair' -l 'repair' -d 'Remove orphan blobs and stale temp files.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo verify" drop-missing' -l 'drop-missing' -d 'With --repair, also delete rows whose blob is missing or corrupt.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo verify" force' -l 'force' -d 'With --repair, act even when more than 10% of the blobs are orphans (or of the rows lack their blob).'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo verify" version' -l 'version' -d 'Show the version.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo index" repo' -l 'repo' -d 'The repository folder.' -rfa '(__imgrepo_complete_directories)'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo index" database' -l 'database' -d 'Catalogue URL, replacing the repository\'s own (sqlite:PATH, mysql://USER@HOST[:PORT]/DB).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo index" pixel-hash' -l 'pixel-hash' -d 'Compute the pixel hash (a full decode of each image).'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo index" perceptual-hash' -l 'perceptual-hash' -d 'Compute the perceptual hash (a small decode of each image).'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo index" all' -l 'all' -d 'Recompute every image\'s, not only the missing ones.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo index" json' -l 'json' -d 'Print the summary as a JSON object on stdout.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo index" version' -l 'version' -d 'Show the version.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo index" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar" repo' -l 'repo' -d 'The repository folder.' -rfa '(__imgrepo_complete_directories)'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar" database' -l 'database' -d 'Catalogue URL, replacing the repository\'s own (sqlite:PATH, mysql://USER@HOST[:PORT]/DB).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'taken' -d 'Camera time range: 2024, 2023-06..2023-08-15, 2023.., ..2022-12-31.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'uploaded' -d 'Upload time range, in the local time zone unless an offset is given.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'make' -d 'Camera make: text it contains, or a glob (\'Canon*\'); any case.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'model' -d 'Camera model: text it contains, or a glob; any case.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'camera' -d 'Make or model: text either contains, or a glob; any case.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'lens' -d 'Lens model: text it contains, or a glob; any case.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'iso' -d 'ISO range: 100..400, 1600.., 200.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'fnumber' -d 'F-number range: ..2.8.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'exposure' -d 'Exposure time range in seconds: ..1/250.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'focal' -d 'Focal length range in mm: 24..70.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'type' -d 'Formats, comma-separated: jpeg,png,gif,webp,tiff,bmp,heic,heif,avif.' -rfka 'jpeg png gif webp tiff bmp heic heif avif'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'name' -d 'Original name, a case-insensitive glob (\'IMG_*.JPG\').' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'size' -d 'File size range with K, M, G units: 5M...' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'width' -d 'Width range in pixels.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'height' -d 'Height range in pixels.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'pixels' -d 'Pixel count range: 12M...' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'orientation' -d 'landscape, portrait or square, as displayed (EXIF orientation applied).' -rfka 'landscape portrait square'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar" has-gps' -l 'has-gps' -d 'Only images with GPS coordinates.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar" no-gps' -l 'no-gps' -d 'Only images without GPS coordinates.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'near' -d 'Within KM kilometres of a point: 48.8566,2.3522,25.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'bbox' -d 'Inside a box: south,west,north,east (west > east crosses 180°).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'keyword' -d 'XMP keyword (dc:subject): a case-insensitive glob over each keyword (\'beach\', \'holi*\').' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'rating' -d 'XMP rating range, -1 (rejected) to 5: 4.., 3..4, 5, -1.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'owner' -d 'Uploaded by this owner.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar"' -l 'where' -d 'An expression over named fields (docs/query-language.md): taken >= 2023-06 and (make = "Canon" or iso > 1600).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar" format' -l 'format' -d 'Output format: table, json, ndjson, csv or tsv.' -rfka 'table json ndjson csv tsv'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar" json' -l 'json' -d 'Shorthand for --format json.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar" fields' -l 'fields' -d 'Comma-separated fields to print, in order (docs/json.md lists them).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar" no-headers' -l 'no-headers' -d 'Leave out the header line of table, csv and tsv output.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar" tz' -l 'tz' -d 'Time zone for times shown in tables: local, UTC, +02:00, Europe/Paris.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_positional "imgrepo similar" -eq 1' -fka '(__imgrepo_custom_completion ---completion similar -- positional@0 (count (__imgrepo_tokens -pc)) (__imgrepo_tokens -tC))'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar" max-distance' -l 'max-distance' -d 'Largest Hamming distance shown, 0–64 (default 12).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar" limit' -l 'limit' -d 'At most this many images (default 10).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar" version' -l 'version' -d 'Show the version.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo similar" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo duplicates" repo' -l 'repo' -d 'The repository folder.' -rfa '(__imgrepo_complete_directories)'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo duplicates" database' -l 'database' -d 'Catalogue URL, replacing the repository\'s own (sqlite:PATH, mysql://USER@HOST[:PORT]/DB).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo duplicates" format' -l 'format' -d 'Output format: table, json, ndjson, csv or tsv.' -rfka 'table json ndjson csv tsv'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo duplicates" json' -l 'json' -d 'Shorthand for --format json.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo duplicates" fields' -l 'fields' -d 'Comma-separated fields to print, in order (docs/json.md lists them).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo duplicates" no-headers' -l 'no-headers' -d 'Leave out the header line of table, csv and tsv output.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo duplicates" tz' -l 'tz' -d 'Time zone for times shown in tables: local, UTC, +02:00, Europe/Paris.' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo duplicates" by' -l 'by' -d 'bytes, pixels or similar (default bytes).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo duplicates" max-distance' -l 'max-distance' -d 'With --by similar: largest Hamming distance within a pair, 0–64 (default 12).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo duplicates" version' -l 'version' -d 'Show the version.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo duplicates" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo migrate-catalog" repo' -l 'repo' -d 'The repository folder.' -rfa '(__imgrepo_complete_directories)'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo migrate-catalog" database' -l 'database' -d 'Catalogue URL, replacing the repository\'s own (sqlite:PATH, mysql://USER@HOST[:PORT]/DB).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo migrate-catalog" to' -l 'to' -d 'The catalogue to copy into (empty).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo migrate-catalog" version' -l 'version' -d 'Show the version.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo migrate-catalog" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo rebuild-catalog" repo' -l 'repo' -d 'The repository folder.' -rfa '(__imgrepo_complete_directories)'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo rebuild-catalog" database' -l 'database' -d 'Catalogue URL, replacing the repository\'s own (sqlite:PATH, mysql://USER@HOST[:PORT]/DB).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo rebuild-catalog" owner' -l 'owner' -d 'Owner recorded for the images (default: IMGREPO_OWNER, config \'owner\', login name).' -rfka ''
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo rebuild-catalog" json' -l 'json' -d 'Print one JSON object per catalogued image.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo rebuild-catalog" version' -l 'version' -d 'Show the version.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo rebuild-catalog" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgrepo' -n '__imgrepo_should_offer_completions_for_flags_or_options "imgrepo help" version' -l 'version' -d 'Show the version.'
