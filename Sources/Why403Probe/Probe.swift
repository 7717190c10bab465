import Why403Core

/// The Probe layer of why403. Entry point: `ProbeAnalyzer` (being built).
public enum ProbeModule {}
