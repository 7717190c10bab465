import Why403Core

/// The Token layer of why403. Entry point: `TokenAnalyzer` (being built).
public enum TokenModule {}
