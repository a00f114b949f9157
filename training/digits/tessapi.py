"""Minimal ctypes binding to libtesseract's C API, used the way the Swift reader will use it:
Init2(dir, "digits", OEM_LSTM_ONLY), PSM 13 (raw line), 300 dpi, RIL_SYMBOL boxes + confidences."""
import ctypes
import ctypes.util

OEM_LSTM_ONLY = 1
PSM_RAW_LINE = 13
RIL_SYMBOL = 4

_lib = ctypes.CDLL(ctypes.util.find_library("tesseract") or "libtesseract.so.5")
_P = ctypes.c_void_p
_lib.TessBaseAPICreate.restype = _P
_lib.TessBaseAPIInit2.argtypes = [_P, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
_lib.TessBaseAPISetPageSegMode.argtypes = [_P, ctypes.c_int]
_lib.TessBaseAPISetImage.argtypes = [_P, ctypes.c_char_p, ctypes.c_int, ctypes.c_int,
                                     ctypes.c_int, ctypes.c_int]
_lib.TessBaseAPISetSourceResolution.argtypes = [_P, ctypes.c_int]
_lib.TessBaseAPIRecognize.argtypes = [_P, _P]
_lib.TessBaseAPIGetIterator.argtypes = [_P]
_lib.TessBaseAPIGetIterator.restype = _P
_lib.TessResultIteratorGetPageIterator.argtypes = [_P]
_lib.TessResultIteratorGetPageIterator.restype = _P
_lib.TessPageIteratorBoundingBox.argtypes = [_P, ctypes.c_int] + [ctypes.POINTER(ctypes.c_int)] * 4
_lib.TessResultIteratorGetUTF8Text.argtypes = [_P, ctypes.c_int]
_lib.TessResultIteratorGetUTF8Text.restype = ctypes.c_void_p
_lib.TessResultIteratorConfidence.argtypes = [_P, ctypes.c_int]
_lib.TessResultIteratorConfidence.restype = ctypes.c_float
_lib.TessResultIteratorNext.argtypes = [_P, ctypes.c_int]
_lib.TessResultIteratorDelete.argtypes = [_P]
_lib.TessDeleteText.argtypes = [ctypes.c_void_p]
_lib.TessBaseAPIEnd.argtypes = [_P]
_lib.TessBaseAPIDelete.argtypes = [_P]
_lib.TessBaseAPISetVariable.argtypes = [_P, ctypes.c_char_p, ctypes.c_char_p]


class Tess:
    def __init__(self, tessdata_dir, lang="digits"):
        self.h = _lib.TessBaseAPICreate()
        if _lib.TessBaseAPIInit2(self.h, tessdata_dir.encode(), lang.encode(), OEM_LSTM_ONLY):
            raise RuntimeError("Init2 failed for %s/%s.traineddata" % (tessdata_dir, lang))
        _lib.TessBaseAPISetPageSegMode(self.h, PSM_RAW_LINE)

    def symbols(self, img):
        """img: 2-D uint8 numpy array. Returns [(text, conf 0-100, (x0, y0, x1, y1))]."""
        h, w = img.shape
        buf = img.tobytes()
        _lib.TessBaseAPISetImage(self.h, buf, w, h, 1, w)
        _lib.TessBaseAPISetSourceResolution(self.h, 300)
        if _lib.TessBaseAPIRecognize(self.h, None):
            return []
        it = _lib.TessBaseAPIGetIterator(self.h)
        out = []
        if not it:
            return out
        pit = _lib.TessResultIteratorGetPageIterator(it)
        c = [ctypes.c_int() for _ in range(4)]
        while True:
            p = _lib.TessResultIteratorGetUTF8Text(it, RIL_SYMBOL)
            if p:
                text = ctypes.string_at(p).decode("utf-8")
                _lib.TessDeleteText(p)
                conf = _lib.TessResultIteratorConfidence(it, RIL_SYMBOL)
                _lib.TessPageIteratorBoundingBox(pit, RIL_SYMBOL, *[ctypes.byref(v) for v in c])
                out.append((text, float(conf), tuple(v.value for v in c)))
            if not _lib.TessResultIteratorNext(it, RIL_SYMBOL):
                break
        _lib.TessResultIteratorDelete(it)
        return out

    def close(self):
        _lib.TessBaseAPIEnd(self.h)
        _lib.TessBaseAPIDelete(self.h)
