import Why403Core

/// The Apache layer of why403. Entry point: `ApacheAnalyzer` (being built).
public enum ApacheModule {}
