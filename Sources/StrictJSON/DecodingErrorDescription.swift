import Foundation

/// One line for a `DecodingError` from a `Codable` type read out of well-formed JSON: which key is
/// missing or which value has the wrong type, by its path (`properties[2].cases`), without Swift's
/// debug dump of coding keys, so an error about a user's file reads as one.
public enum DecodingErrorDescription {
    public static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)".replacingOccurrences(of: "\n", with: " ") }
        switch error {
        case let .keyNotFound(key, context):
            return "missing key '\(key.stringValue)'" + at(context.codingPath)
        case let .typeMismatch(type, context):
            return "\(name(context.codingPath)) is not \(article(type))"
        case let .valueNotFound(type, context):
            return "\(name(context.codingPath)) is null, expected \(article(type))"
        case let .dataCorrupted(context):
            return "\(name(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)".replacingOccurrences(of: "\n", with: " ")
        }
    }

    static func path(_ keys: [CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text
    }

    static func at(_ keys: [CodingKey]) -> String { keys.isEmpty ? " at the top level" : " in \(path(keys))" }

    static func name(_ keys: [CodingKey]) -> String { keys.isEmpty ? "the top level" : "'\(path(keys))'" }

    static func article(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type, is Int64.Type, is UInt64.Type, is Int32.Type, is UInt32.Type: return "an integer"
        default:
            let n = "\(type)"
            if n.hasPrefix("Array") || n.hasPrefix("[") { return "a list" }
            if n.hasPrefix("Dictionary") { return "an object" }
            return "a value of type \(n)"
        }
    }
}
