// Golden output pinned by JSONSnapshotTests; regenerate with IMGREPO_UPDATE_SNAPSHOTS=1 (see there).
// A Swift file rather than a .json so that SwiftPM needs no resource or exclude rule for it.
extension JSONSnapshots {
    static let derivedNDJSON = ##"""
{"id":42,"dimensions":"4000x3000","pixels":12000000,"camera":"Canon EOS R5"}
{"id":7,"dimensions":null,"pixels":null,"camera":null}
"""##
}
