import Why403Core

/// The Diagnose layer of why403. Entry point: `DiagnoseAnalyzer` (being built).
public enum DiagnoseModule {}
