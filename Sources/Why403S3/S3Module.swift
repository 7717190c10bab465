/// The S3 layer of why403. Entry point: `S3Analyzer.analyze(_:)`.
public enum S3Module {}
