import Why403Core
import CZlib

/// The Logs layer of why403. Entry point: `LogsAnalyzer` (being built).
public enum LogsModule {}
