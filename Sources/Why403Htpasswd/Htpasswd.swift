import Why403Core

/// The Htpasswd layer of why403. Entry point: `HtpasswdAnalyzer` (being built).
public enum HtpasswdModule {}
