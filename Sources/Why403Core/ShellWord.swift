/// Command lines why403 prints (fixes, checks) are built from text it read: a log's paths and addresses, a
/// request's URL, a configuration's file names. Any of those can be written by whoever sent the request, so every
/// such value goes into a printed command as one shell word: left as it is when it holds only characters no POSIX
/// shell treats specially, else single-quoted (a `'` inside closed, escaped and reopened). A reader who copies the
/// command runs what it says and nothing a request smuggled into it (`/a;$(touch x)` stays one argument).
public enum ShellWord {
    /// Characters that never need quoting in a POSIX shell word.
    private static let safe: Set<UInt8> = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-+:@,%=".utf8)

    /// `s` as one shell word: as it is when every character is safe, else single-quoted.
    public static func quote(_ s: String) -> String {
        if !s.isEmpty && s.utf8.allSatisfy({ safe.contains($0) }) { return s }
        var out = "'"
        for ch in s.unicodeScalars { if ch == "'" { out += "'\\''" } else { out.unicodeScalars.append(ch) } }
        return out + "'"
    }
}

extension ShellWord {
    /// `s` single-quoted whatever it holds (a `'` inside closed, escaped and reopened): for commands that always
    /// quote the value, so their look does not change with it.
    public static func single(_ s: String) -> String {
        var out = "'"
        for ch in s.unicodeScalars { if ch == "'" { out += "'\\''" } else { out.unicodeScalars.append(ch) } }
        return out + "'"
    }
}
