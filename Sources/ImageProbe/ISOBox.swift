/// One ISO base media file format box: where its header starts, where its payload starts and
/// where it ends (never past its parent: the walker rejects boxes that overrun).
struct ISOBox {
    let type: UInt32
    let offset: Int
    let payloadStart: Int
    let end: Int

    var payloadSize: Int { end - payloadStart }
}
