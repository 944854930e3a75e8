/// Random access to a file the inspector has already seen streamed.
public protocol RandomAccessBytes: AnyObject {
    /// The file's size in bytes.
    var size: Int { get }
    /// Up to `count` bytes at `offset`; fewer only at the end of the file.
    func read(at offset: Int, count: Int) throws -> [UInt8]
}
