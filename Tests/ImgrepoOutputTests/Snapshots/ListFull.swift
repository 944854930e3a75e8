// Golden output pinned by JSONSnapshotTests; regenerate with IMGREPO_UPDATE_SNAPSHOTS=1 (see there).
// A Swift file rather than a .json so that SwiftPM needs no resource or exclude rule for it.
extension JSONSnapshots {
    static let listFull = ##"""
[
{"id":42,"sha512":"abababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababab","name":"IMG_0001.JPG","path":"/photos/2023/IMG_0001.JPG","owner":"ada","uploaded_at":"2026-11-24T20:23:00.123456Z","size":4213337,"format":"jpeg","mime_type":"image/jpeg","width":4000,"height":3000,"exif_status":"read","make":"Canon","model":"Canon EOS R5","lens":"RF24-105mm F4 L IS USM","taken_at":"2023-06-01T12:34:56.123+02:00","taken_local":"2023-06-01T12:34:56.123","taken_offset":"+02:00","taken_utc":"2023-06-01T10:34:56.123000Z","exposure_time":0.004,"f_number":2.8,"iso":800,"focal_length":50,"orientation":1,"gps_latitude":48.85837,"gps_longitude":-2.294481,"gps_altitude":-35.25,"software":"Firmware 1.8.1","artist":"Ada Lovelace","copyright":"© 2023 Ada","title":"Harbour at dusk","description":"Boats, \"lights\" and a tab\there","keywords":["sea","Boats","Été"],"rating":4,"creator":"Ada Lovelace; Charles Babbage","taken_source":"exif","taken_tag":"EXIF:DateTimeOriginal","focal_length_35mm":50,"flash":16,"pixel_sha512":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd","phash":"00f00f0fa5a50001","warnings":["xmp: xmp:Rating '6' is not a whole number from -1 to 5; ignored"]}
]
"""##
}
