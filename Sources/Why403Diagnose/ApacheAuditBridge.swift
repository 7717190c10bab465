import Why403Core
import Why403FileSystem
import Why403Apache

/// The Apache side of `audit`.
enum ApacheAuditBridge {
    static func run(configPath: String, fileSystem: any FileSystemView) throws -> (findings: [Finding], notes: [String]) {
        guard fileSystem.info(configPath) != nil else {
            throw InputError(file: configPath, message: "no such file or directory")
        }
        return ([], ["apache \(configPath): configuration checks for Apache are not available in this version"])
    }
}
