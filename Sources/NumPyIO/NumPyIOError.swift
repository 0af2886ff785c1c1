/// Why a `.npy`/`.npz` file could not be read or written.
///
/// `description` is one line: the file path (when the bytes came from a file), the
/// archive member (when the problem is inside an `.npz`), and what is wrong, e.g.
/// `linear.npz: member 'A.npy': data has 100 bytes, shape (16, 64) of <f8 needs 8192`.
/// `kind` lets code react to a class of failure without parsing the message.
///
/// The path lives in one place, `path`, and `description` names it exactly once (no `message`
/// repeats it). A caller that wraps this error in its own message should therefore either use
/// `description` as it is, *without* prefixing the path again, or prefix its own path to
/// `descriptionWithoutPath`: `"\(path): \(error)"` would name the file twice.
public struct NumPyIOError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The class of failure.
    public enum Kind: String, Equatable, Sendable {
        /// The file could not be opened, read, written or renamed (the OS reason is in the message).
        case io
        /// The input is empty.
        case empty
        /// The bytes do not start with the `.npy` magic string `\x93NUMPY`.
        case notNPY
        /// The `.npy` format version is not 1.0, 2.0 or 3.0.
        case unsupportedVersion
        /// The input ends inside the `.npy` preamble or header.
        case truncated
        /// The header dictionary is malformed, has unknown or missing keys, or values of the wrong type.
        case badHeader
        /// The dtype is one this module does not handle (complex, object, string, structured, …).
        case unsupportedDType
        /// A dimension is negative, or a shape does not match the number of values given.
        case invalidShape
        /// The shape's byte size overflows `Int`.
        case tooLarge
        /// The number of data bytes differs from what the shape and dtype require.
        case dataSizeMismatch
        /// The input is not a zip archive (no end-of-central-directory record).
        case notZip
        /// The zip structure is damaged: truncated, bad signatures, offsets out of range, overlapping members.
        case corruptZip
        /// A zip feature this reader does not implement (encryption, multi-disk archives).
        case unsupportedZipFeature
        /// A member uses a compression method other than stored (0) or deflate (8).
        case unsupportedCompression
        /// Deflate data could not be decompressed, or decompressed to the wrong size.
        case corruptDeflate
        /// A member's CRC-32 does not match its contents.
        case badCRC
        /// An `.npz` member's name does not end in `.npy`.
        case notNPYMember
        /// Two `.npz` members have the same name.
        case duplicateMember
        /// A caller-supplied argument is invalid (e.g. duplicate array names given to a writer).
        case invalidArgument
        /// The input is over one of the reader's `NPZLimits` (file size, declared uncompressed size of a
        /// member or of all members, member count, compression ratio); nothing was decompressed.
        case limitExceeded
    }

    /// The class of failure.
    public var kind: Kind
    /// What is wrong, without the path/member prefix.
    public var message: String
    /// The file path involved, when the bytes came from (or were going to) a file.
    public var path: String?
    /// The `.npz` member involved, e.g. `A.npy`.
    public var member: String?

    public init(_ kind: Kind, _ message: String, path: String? = nil, member: String? = nil) {
        self.kind = kind
        self.message = message
        self.path = path
        self.member = member
    }

    public var description: String {
        if let path { return path + ": " + descriptionWithoutPath }
        return descriptionWithoutPath
    }

    /// `description` without the leading path: the member (if any) and what is wrong, e.g.
    /// `member 'A.npy': data has 100 bytes, shape (16, 64) of <f8 needs 8192`. For callers that put
    /// their own `"\(path): "` in front.
    public var descriptionWithoutPath: String {
        guard let member else { return message }
        return "member '\(member)': " + message
    }

    /// Returns a copy with `path`/`member` filled in where they were not already known.
    func adding(path: String? = nil, member: String? = nil) -> NumPyIOError {
        var copy = self
        if copy.path == nil { copy.path = path }
        if copy.member == nil { copy.member = member }
        return copy
    }
}

/// Runs `body`, attaching `path`/`member` context to any `NumPyIOError` it throws.
func withErrorContext<T>(path: String? = nil, member: String? = nil, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as NumPyIOError {
        throw error.adding(path: path, member: member)
    }
}
