import Why403Core

/// The Nginx layer of why403. Entry point: `NginxAnalyzer` (being built).
public enum NginxModule {}
