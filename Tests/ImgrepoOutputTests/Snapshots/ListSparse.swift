// Golden output pinned by JSONSnapshotTests; regenerate with IMGREPO_UPDATE_SNAPSHOTS=1 (see there).
// A Swift file rather than a .json so that SwiftPM needs no resource or exclude rule for it.
extension JSONSnapshots {
    static let listSparse = ##"""
[
{"id":7,"sha512":"0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f","name":"stdin","path":null,"owner":"bob","uploaded_at":"1970-01-01T00:00:00.000000Z","size":0,"format":"png","mime_type":"image/png","width":null,"height":null,"exif_status":"absent","make":null,"model":null,"lens":null,"taken_at":null,"taken_local":null,"taken_offset":null,"taken_utc":null,"exposure_time":null,"f_number":null,"iso":null,"focal_length":null,"orientation":null,"gps_latitude":null,"gps_longitude":null,"gps_altitude":null,"software":null,"artist":null,"copyright":null,"title":null,"description":null,"keywords":[],"rating":null,"creator":null,"taken_source":null,"taken_tag":null,"focal_length_35mm":null,"flash":null,"pixel_sha512":null,"phash":null,"warnings":[]}
]
"""##
}
