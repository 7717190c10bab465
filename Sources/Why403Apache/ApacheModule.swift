import Why403Core

/// The Apache httpd layer of why403. Entry point: `ApacheAnalyzer`; the configuration reader is
/// `ApacheConfigParser`.
public enum ApacheModule {}
