extension UnsafeRawBufferPointer {
    /// No bytes (a nil view). This module's own: `RecordView.noBytes`, a getter of the library
    /// module, is a call per use from here, and marking it `@inlinable` did not change that
    /// (callgrind: three calls a record in lines mode, ~55 instructions).
    @inline(__always) static var noBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }
}
