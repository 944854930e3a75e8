// The least a thumbnail cache hit must do, written in Swift: open the SQLite catalogue read-only,
// turn the id into the image's hash, and copy the cached file to stdout. No argument parsing, no
// repository lock, no checks. scripts/bench-thumbnails.sh builds it as imgrepo's release binary is
// linked and times it beside `imgrepo thumbnail` and `cat`: it is the floor for the cache-hit row.
//
//   bench-hit-floor REPOSITORY ID SUFFIX      (SUFFIX: the cached name after the hash, ".256x256.q85.a1.jpg")
import CSQLite
import Glibc

let arguments = CommandLine.arguments
guard arguments.count == 4, let id = Int64(arguments[2]) else { exit(64) }
let repository = arguments[1], suffix = arguments[3]
var db: OpaquePointer?
guard sqlite3_open_v2(repository + "/catalog.sqlite", &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { exit(1) }
var statement: OpaquePointer?
guard sqlite3_prepare_v2(db, "SELECT sha512 FROM images WHERE id = ?", -1, &statement, nil) == SQLITE_OK else { exit(1) }
sqlite3_bind_int64(statement, 1, id)
guard sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) else { exit(1) }
let hash = String(cString: text)
sqlite3_finalize(statement)
sqlite3_close(db)
let fd = open(repository + "/thumbnails/" + hash.prefix(2) + "/" + hash.dropFirst(2) + suffix, O_RDONLY)
guard fd >= 0 else { exit(1) }
var buffer = [UInt8](repeating: 0, count: 65536)
while true {
    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if count <= 0 { break }
    _ = buffer.withUnsafeBytes { write(1, $0.baseAddress, count) }
}
