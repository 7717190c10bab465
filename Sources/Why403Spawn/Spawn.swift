import Foundation

/// Starting programs (real servers, the built `why403`) with posix_spawn.
///
/// Hand-written rather than Foundation's `Process`, which gets three things wrong for this use: it hands
/// the child this program's blocked signal mask (Apache then never sees SIGTERM and cannot be stopped),
/// it puts no child in a process group of its own (so a server's workers cannot be signalled with it),
/// and it misses its child's exit when waited for from an async context. Output goes to files, not pipes,
/// so a child that daemonizes and keeps them open cannot hang the caller.
///
/// Not Apple's swift-subprocess (1.0.2, in the offline package set), though it gets the signal mask,
/// default signal actions, process groups and file descriptors right: it ties a child's life to the
/// async scope of its `run` closure, while the lab and the test harnesses start nginx and Apache from
/// synchronous code (XCTest set-up, a harness's init) and stop them later from elsewhere (a `defer` in
/// another function, tear-down), and `Run` waits for a child synchronously with a time limit. Checked
/// again for issue 11; revisit if the lab's servers move into one async scope.
public enum Spawn {
    /// Starts `argv[0]` with `argv`, stdin/stdout/stderr from/to the given files (nil: /dev/null; with
    /// `mergeStderr`, stderr goes where stdout goes), an empty signal mask, default signal actions, and
    /// optionally its own process group.
    public static func start(_ argv: [String], environment: [String: String]? = nil, stdin: String? = nil,
                             stdout: String? = nil, stderr: String? = nil, mergeStderr: Bool = false,
                             newProcessGroup: Bool = false) throws -> pid_t {
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGQUIT, SIGUSR1] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if newProcessGroup {
            posix_spawnattr_setpgroup(&attr, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attr, Int16(flags))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if mergeStderr {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }

        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnv: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) }; for e in cEnv { free(e) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attr, &cArgs, &cEnv)
        guard rc == 0 else { throw SpawnError(program: argv[0], message: String(cString: strerror(rc))) }
        return pid
    }

    /// The child's exit status if it has ended (reaping it), nil while it runs. A child killed by a
    /// signal reports 128 + the signal, as a shell does.
    public static func poll(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid { return exitCode(status) }
        if r < 0 && errno != EINTR { return -1 }
        return nil
    }

    /// Waits for the child up to `timeout` seconds; then SIGTERM, and SIGKILL 200 ms later. Returns the status.
    @discardableResult
    public static func wait(_ pid: pid_t, timeout: TimeInterval, group: Bool = false) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let code = poll(pid) { return code }
            usleep(5_000)
        }
        kill(group ? -pid : pid, SIGTERM)
        let grace = Date().addingTimeInterval(group ? 5 : 0.2)
        while Date() < grace {
            if let code = poll(pid) { return code }
            usleep(10_000)
        }
        kill(group ? -pid : pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return exitCode(status)
    }

    static func exitCode(_ status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

/// A program that could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    /// The program that could not be started.
    public var program: String
    /// Why (the system's words).
    public var message: String
    /// `cannot run PROGRAM: MESSAGE`.
    public var description: String { "cannot run \(program): \(message)" }
}
