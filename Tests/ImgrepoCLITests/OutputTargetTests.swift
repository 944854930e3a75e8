import Foundation
import ImgrepoFixtures
import Testing

/// What `-o PATH` of `get` and `thumbnail` does with what is already at PATH: a regular file
/// or a new name is replaced atomically; a device or FIFO is written into as it is; a symbolic
/// link is written through, to what it points to; a dangling link is refused; `/dev/stdout`
/// and other names of an open descriptor are that descriptor. Nothing that is not a regular
/// file is ever replaced.
@Suite struct OutputTargetTests {
    let photo = Fixtures.jpeg(width: 120, height: 90, seed: 23)

    /// A sandbox holding `photo` as image 1.
    func seeded() throws -> Sandbox {
        let box = try Sandbox()
        let r = try box.run(["upload", try box.file("seed.jpg", photo)])
        #expect(r.status == 0, "seeding failed: \(r.stderr)")
        return box
    }

    /// The file type bits `lstat` gives for `path` (the link itself, not its target).
    func fileType(_ path: String) -> mode_t? {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & S_IFMT : nil
    }

    /// Both commands that take `-o`: `get 1` and `thumbnail 1`, with the bytes each gives.
    func commands(_ box: Sandbox) throws -> [(arguments: [String], bytes: Data)] {
        let thumbnail = try box.run(["thumbnail", "1"])
        #expect(thumbnail.status == 0, "\(thumbnail.stderr)")
        return [(["get", "1"], Data(photo)), (["thumbnail", "1"], thumbnail.stdout)]
    }

    @Test func characterDeviceIsWrittenIntoAndKept() throws {
        let box = try seeded()
        // As root the old code replaced /dev/full itself: a node made in the sandbox (the same
        // device, 1:7) shows it without touching the real one. Others use /dev/full, which they
        // cannot replace anyway.
        var full = "/dev/full"
        if getuid() == 0, try shell(["mknod", box.root.path + "/full", "c", "1", "7"]).status == 0 {
            full = box.root.path + "/full"
        }
        for (arguments, _) in try commands(box) {
            let r = try box.run(arguments + ["-o", full])
            #expect(r.status == 74, "\(arguments): \(r.stderr)")
            #expect(r.errLines.count == 1, "\(r.stderr)")
            #expect(r.stderr.contains(full) && r.stderr.contains("no space left on device"), "\(r.stderr)")
            #expect(fileType(full) == S_IFCHR, "\(full) is no longer a character device")
        }
        let strays = try FileManager.default.contentsOfDirectory(atPath: box.root.path).filter { $0.hasPrefix(".imgrepo-") }
        #expect(strays.isEmpty, "\(strays)")
    }

    @Test func fifoWithAReaderGetsTheBytes() throws {
        let box = try seeded()
        for (index, (arguments, bytes)) in try commands(box).enumerated() {
            let fifo = box.root.path + "/pipe\(index)", copy = box.root.path + "/read\(index)"
            #expect(mkfifo(fifo, 0o600) == 0)
            // The reader gives up after a while, so that a writer that never opens the FIFO
            // fails the test instead of hanging it.
            let reader = Process()
            reader.executableURL = URL(fileURLWithPath: "/bin/sh")
            reader.arguments = ["-c", "exec timeout -s KILL 30 cat \"$0\" > \"$1\"", fifo, copy]
            try reader.run()
            let r = try box.run(arguments + ["-o", fifo])
            reader.waitUntilExit()
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            #expect(fileType(fifo) == S_IFIFO, "the FIFO was replaced")
            #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == bytes, "\(arguments)")
        }
    }

    @Test func symbolicLinkIsWrittenThrough() throws {
        let box = try seeded()
        for (index, (arguments, bytes)) in try commands(box).enumerated() {
            let target = try box.file("real\(index).jpg", Array("old contents".utf8))
            let link = box.root.path + "/link\(index).jpg"
            // A relative link, resolved from the link's folder as the kernel does.
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real\(index).jpg")
            let r = try box.run(arguments + ["-o", link])
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            #expect(fileType(link) == S_IFLNK, "the link was replaced")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real\(index).jpg")
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == bytes, "\(arguments)")
        }
    }

    @Test func danglingSymbolicLinkIsRefused() throws {
        let box = try seeded()
        for (arguments, _) in try commands(box) {
            let link = box.root.path + "/dangling.jpg"
            try? FileManager.default.removeItem(atPath: link)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "missing/nowhere.jpg")
            let r = try box.run(arguments + ["-o", link])
            #expect(r.status == 73, "\(arguments): \(r.stderr)")
            #expect(r.errLines.count == 1, "\(r.stderr)")
            #expect(r.stderr.contains(link) && r.stderr.contains("dangling symbolic link"), "\(r.stderr)")
            #expect(fileType(link) == S_IFLNK)
            #expect(!FileManager.default.fileExists(atPath: box.root.path + "/missing"))
        }
    }

    /// A link to `/proc/self/fd/1` made in the sandbox, as `/dev/stdout` is one.
    @Test func linkToStandardOutputIsStandardOutput() throws {
        let box = try seeded()
        let link = box.root.path + "/stdout"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/proc/self/fd/1")
        for (arguments, bytes) in try commands(box) {
            let r = try box.run(arguments + ["-o", link])
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            #expect(r.stdout == bytes, "\(arguments): \(r.stdout.count) bytes on stdout")
            #expect(fileType(link) == S_IFLNK)
        }
    }

    @Test func devStdoutIntoAPipe() throws {
        let box = try seeded()
        for (arguments, bytes) in try commands(box) {
            for name in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
                let r = try box.run(arguments + ["-o", name])
                #expect(r.status == 0, "\(arguments) -o \(name): \(r.stderr)")
                #expect(r.stdout == bytes, "\(arguments) -o \(name): \(r.stdout.count) bytes on stdout")
            }
        }
        #expect(fileType("/dev/stdout") == S_IFLNK)
    }

    @Test func devStdoutIntoAFileKeepsWhatCameBefore() throws {
        let box = try seeded()
        let out = box.root.path + "/out.bin"
        // The shell opens the file once; imgrepo writes at the descriptor's offset, after the
        // header, instead of reopening (and truncating) the file.
        let r = try box.run(["get", "1", "-o", "/dev/stdout"],
                            prefix: ["/bin/sh", "-c", "{ printf header; \"$@\"; } > \"$0\"", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data("header".utf8) + Data(photo))
    }

    @Test func regularFileIsStillReplacedAtomically() throws {
        let box = try seeded()
        let out = try box.file("existing.jpg", Array("old".utf8))
        let other = box.root.path + "/hardlink.jpg"
        try FileManager.default.linkItem(atPath: out, toPath: other)
        let r = try box.run(["get", "1", "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(photo))
        // Replaced by a rename, not rewritten in place: the other name keeps the old bytes.
        #expect(try Data(contentsOf: URL(fileURLWithPath: other)) == Data("old".utf8))
    }
}
