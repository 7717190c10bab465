import Why403Core

/// The S3 layer of why403. Entry point: `S3Analyzer` (being built).
public enum S3Module {}
