/// imgrepo's version, the one place it is written. CHANGELOG.md has an entry for each.
public let imgrepoVersion = "0.1.0"
