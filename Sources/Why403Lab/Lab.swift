import Why403Core

/// The Lab layer of why403. Entry point: `LabAnalyzer` (being built).
public enum LabModule {}
