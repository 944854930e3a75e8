import ArgumentParser
import ImgrepoCore

/// What the shell completions (`--generate-completion-script`, completions/) offer for values
/// that are not plain files: image ids from the repository, and image files.
enum ShellCompletion {
    /// Completion of an image id argument: the ids of the newest `idLimit` images of the
    /// repository the command line names (`--repo`, `--database`, else the environment and the
    /// settings file, as the command itself would decide), newest first, with each image's name
    /// as the description where the shell shows one (zsh, fish). Runs in a fresh `imgrepo`
    /// process on each TAB; never prints an error and never creates a repository: when none can
    /// be opened it offers nothing.
    static let imageIDs = CompletionKind.custom { words, _, _ in
        imageIDCandidates(words: words, shell: CompletionShell.requesting)
    }

    /// Image files (either case of each extension `upload` knows) and folders.
    static let imageFiles = CompletionKind.file(extensions: imageFileExtensions + imageFileExtensions.map { $0.uppercased() })

    static let imageFileExtensions = ["jpg", "jpeg", "png", "gif", "webp", "tif", "tiff", "bmp", "heic", "heif", "avif"]

    static let idLimit = 200

    /// The candidates for `words` (the command line as typed), formatted for `shell`.
    static func imageIDCandidates(words: [String], shell: CompletionShell?) -> [String] {
        guard let global = try? GlobalOptions.parse(locationArguments(in: words)),
              let invocation = try? global.resolve(),
              Repository.exists(at: invocation.repositoryPath),
              let repository = try? invocation.open() else { return [] }
        var candidates: [String] = []
        let newestFirst = ImageQuery(sort: [SortOrder(.id, descending: true)], limit: idLimit)
        try? repository.store.forEachImage(matching: newestFirst) { record in
            switch shell {
            case .zsh: candidates.append("\(record.id):" + record.originalName.replacingColons())
            case .fish: candidates.append("\(record.id)\t" + record.originalName.filter { $0 != "\t" && $0 != "\n" })
            default: candidates.append(String(record.id))
            }
        }
        return candidates
    }

    /// `--repo X` and `--database Y` (or `--repo=X`) as typed, unquoted, for `GlobalOptions`.
    /// The shell hands the words over verbatim: quotes and a leading `~/` are undone here.
    static func locationArguments(in words: [String]) -> [String] {
        var result: [String] = []
        for (index, word) in words.enumerated() {
            for option in ["--repo", "--database"] {
                if word == option, index + 1 < words.count {
                    result += [option, unquoted(words[index + 1])]
                } else if word.hasPrefix(option + "=") {
                    result += [option, unquoted(String(word.dropFirst(option.count + 1)))]
                }
            }
        }
        return result
    }

    static func unquoted(_ word: String) -> String {
        var text = word
        if text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first {
            text = String(text.dropFirst().dropLast())
        }
        if text == "~" || text.hasPrefix("~/"), let home = Console.environment()["HOME"] {
            text = home + text.dropFirst()
        }
        return text
    }
}

private extension String {
    /// zsh's `_describe` splits a candidate at its first unescaped colon.
    func replacingColons() -> String {
        var result = ""
        for character in self where character != "\n" {
            if character == ":" { result += "\\" }
            result.append(character)
        }
        return result
    }
}
