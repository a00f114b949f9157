import CQPDF
import Foundation

/// One PDF opened with qpdf, to read objects poppler's glib interface does not show (an
/// image's stream as stored). Owned by one ``PDFDocument``.
final class QPDFFile {
    private var handle: qpdf_data?

    /// Opens `path`; nil when qpdf cannot (the caller falls back to poppler's drawing).
    init?(path: String) {
        guard let handle = qpdf_init() else { return nil }
        self.handle = handle
        qpdf_silence_errors(handle)
        qpdf_set_suppress_warnings(handle, QPDF_TRUE)
        guard qpdf_read(handle, path, nil) & QPDF_ERRORS == 0 else { return nil }
    }

    deinit {
        qpdf_cleanup(&handle)
    }

    /// Page `index`'s only image, when it is CCITT G4 data of 1 bit per pixel stored as
    /// is (no other filter, no byte alignment); nil for anything else.
    func faxImage(page index: Int) -> (data: [UInt8], width: Int, height: Int, inverted: Bool)? {
        guard let q = handle, index >= 0, index < Int(qpdf_get_num_pages(q)) else { return nil }
        let page = qpdf_get_page_n(q, index)
        guard let xobjects = inherited(page, "/Resources").flatMap({ key($0, "/XObject") }), qpdf_oh_is_dictionary(q, xobjects) == QPDF_TRUE
        else { return nil }
        var names: [String] = []
        qpdf_oh_begin_dict_key_iter(q, xobjects)
        while qpdf_oh_dict_more_keys(q) == QPDF_TRUE { names.append(String(cString: qpdf_oh_dict_next_key(q))) }
        let images = names.map { qpdf_oh_get_key(q, xobjects, $0) }.filter { object in
            qpdf_oh_is_stream(q, object) == QPDF_TRUE && qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, qpdf_oh_get_dict(q, object), "/Subtype"), "/Image") == QPDF_TRUE
        }
        guard images.count == 1, let image = images.first else { return nil }
        let dict = qpdf_oh_get_dict(q, image)
        guard let width = integer(dict, "/Width"), let height = integer(dict, "/Height"), width > 0, height > 0,
            let filter = single(key(dict, "/Filter")), qpdf_oh_is_name_and_equals(q, filter, "/CCITTFaxDecode") == QPDF_TRUE,
            let parameters = single(key(dict, "/DecodeParms")), qpdf_oh_is_dictionary(q, parameters) == QPDF_TRUE,
            let k = integer(parameters, "/K"), k < 0,
            (integer(parameters, "/Columns") ?? 1728) == width,
            [0, height].contains(integer(parameters, "/Rows") ?? 0),
            !flag(parameters, "/EncodedByteAlign"),
            flag(dict, "/ImageMask") || integer(dict, "/BitsPerComponent") == 1
        else { return nil }
        var decodeInverted = false
        if let decode = key(dict, "/Decode") {
            guard qpdf_oh_is_array(q, decode) == QPDF_TRUE, qpdf_oh_get_array_n_items(q, decode) == 2 else { return nil }
            decodeInverted = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, decode, 0)) > 0.5
        }
        var buffer: UnsafeMutablePointer<UInt8>? = nil
        var length = 0
        guard qpdf_oh_get_stream_data(q, image, qpdf_dl_none, nil, &buffer, &length) & QPDF_ERRORS == 0, let buffer, length > 0 else { return nil }
        defer { free(buffer) }
        let data = Array(UnsafeBufferPointer(start: buffer, count: length))
        return (data, width, height, flag(parameters, "/BlackIs1") != decodeInverted)
    }

    /// `object[name]`, nil when absent.
    private func key(_ object: qpdf_oh, _ name: String) -> qpdf_oh? {
        guard let q = handle, qpdf_oh_has_key(q, object, name) == QPDF_TRUE else { return nil }
        return qpdf_oh_get_key(q, object, name)
    }

    /// A page attribute, looked up the page tree when the page does not set it itself.
    private func inherited(_ page: qpdf_oh, _ name: String) -> qpdf_oh? {
        var node: qpdf_oh? = page
        for _ in 0..<32 {
            guard let n = node else { return nil }
            if let value = key(n, name) { return value }
            node = key(n, "/Parent")
        }
        return nil
    }

    /// The object itself, or the one element of a one-element array (a filter list, say).
    private func single(_ object: qpdf_oh?) -> qpdf_oh? {
        guard let q = handle, let object else { return nil }
        guard qpdf_oh_is_array(q, object) == QPDF_TRUE else { return object }
        return qpdf_oh_get_array_n_items(q, object) == 1 ? qpdf_oh_get_array_item(q, object, 0) : nil
    }

    private func integer(_ object: qpdf_oh, _ name: String) -> Int? {
        guard let q = handle, let value = key(object, name), qpdf_oh_is_integer(q, value) == QPDF_TRUE else { return nil }
        return Int(qpdf_oh_get_int_value(q, value))
    }

    private func flag(_ object: qpdf_oh, _ name: String) -> Bool {
        guard let q = handle, let value = key(object, name), qpdf_oh_is_bool(q, value) == QPDF_TRUE else { return false }
        return qpdf_oh_get_bool_value(q, value) == QPDF_TRUE
    }
}
