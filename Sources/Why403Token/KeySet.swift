import Crypto
import Foundation
import JWTKit
import Why403Core

/// The keys given with `--jwks`: a JWKS (RFC 7517 §5), a single JWK (RFC 7517 §4), a PEM public key
/// or certificate, or a shared HMAC secret. Signatures are checked with jwt-kit (and swift-crypto).
public struct KeySet: Sendable {
    /// One usable verification key.
    public struct Key: Sendable {
        /// `kid`, when the key has one.
        public var id: String?
        /// `RSA`, `EC`, `OKP` or `oct`.
        public var type: String
        /// `P-256`, `P-384`, `P-521`, `Ed25519`, when it applies.
        public var curve: String?
        /// The JWK's `alg`, when it states one.
        public var algorithm: String?
        /// The JWK's `use` (`sig` or `enc`), when stated.
        public var use: String?
        /// "key 2 of the JWKS (kid k1)", for messages.
        public var label: String
        let material: Material
    }

    enum Material: @unchecked Sendable {
        case rsa(JWTKit.Insecure.RSA.PublicKey)
        case p256(ES256PublicKey)
        case p384(ES384PublicKey)
        case p521(ES512PublicKey)
        case ed25519(EdDSA.PublicKey)
        case secret([UInt8])
    }

    /// What the file held.
    public enum Form: String, Sendable { case jwks = "JWKS", jwk = "JWK", pem = "PEM", secret = "shared secret" }

    /// The usable keys, in the file's order.
    public var keys: [Key]
    /// What the file held.
    public var form: Form
    /// Keys of the file that could not be used, with the reason (unknown `kty`, bad numbers, ...).
    public var skipped: [String]
    /// The file name, for evidence.
    public var source: String

    /// Reads key material from `data` (the contents of `source`). Throws `InputError` for a file that
    /// is none of the accepted forms; the message never quotes secret material.
    public init(data: Data, source: String) throws {
        self.source = source
        skipped = []
        keys = []
        let text = String(decoding: data, as: UTF8.self)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") {
            let value: JSONValue
            do { value = try JSONDecoder().decode(JSONValue.self, from: Data(trimmed.utf8)) } catch {
                // JSONSerialization's error says where (JSONDecoder's does not, on every platform).
                var desc = ""
                do { _ = try JSONSerialization.jsonObject(with: Data(trimmed.utf8)) } catch let e {
                    desc = (e as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
                }
                // The line in the file: the parse ran on the text without its leading blank lines.
                let lead = text.prefix(while: { $0.isWhitespace }).filter { $0 == "\n" }.count
                // "Unexpected end of file" names no position: the last line is where the text stops.
                let line = InputError.jsonErrorLine(desc, Array(trimmed.utf8))
                    ?? (desc.contains("end of file") ? trimmed.split(separator: "\n", omittingEmptySubsequences: false).count : nil)
                throw InputError(file: source, line: line.map { $0 + lead },
                                 expected: "a JWKS or a JWK (JSON)", found: "malformed JSON" + (desc.isEmpty ? "" : " (\(desc.prefix(120)))"),
                                 help: "check the file with `python3 -m json.tool \(source)`")
            }
            guard case .object(let o) = value else {
                throw InputError(file: source, expected: "a JSON object", found: "a JSON \(value.kindName)")
            }
            if case .array(let list)? = o["keys"] {
                form = .jwks
                for (i, item) in list.enumerated() {
                    guard case .object(let jwk) = item else { skipped.append("key \(i + 1) is not an object"); continue }
                    do { keys.append(try KeySet.key(jwk: jwk, label: "key \(i + 1) of the JWKS")) } catch let e as SkipReason {
                        skipped.append("key \(i + 1)\(jwk["kid"]?.stringValue.map { " (kid \($0))" } ?? ""): \(e.text)")
                    }
                }
                if list.isEmpty {
                    skipped.append("the JWKS has no keys")
                }
            } else if o["kty"] != nil {
                form = .jwk
                do { keys.append(try KeySet.key(jwk: o, label: "the JWK")) } catch let e as SkipReason {
                    throw InputError(file: source, expected: "a usable JWK", found: "a key that \(e.text)")
                }
            } else {
                throw InputError(file: source, expected: "a JWKS ({\"keys\": [...]}) or a JWK (an object with \"kty\")",
                                 found: "an object with the members \(o.keys.sorted().prefix(8).map { InputError.quote($0, limit: 24) }.joined(separator: ", "))")
            }
        } else if trimmed.contains("-----BEGIN ") {
            form = .pem
            if trimmed.contains("PRIVATE KEY-----") {
                throw InputError(file: source, expected: "a public key", found: "a PEM private key",
                                 help: "give the public half: `openssl pkey -in KEY -pubout -out public.pem`")
            }
            keys.append(try KeySet.key(pem: trimmed, source: source))
        } else {
            // Anything else is taken as an HMAC secret (HS256/384/512), byte for byte, less a final newline.
            form = .secret
            var bytes = [UInt8](data)
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
            guard !bytes.isEmpty else {
                throw InputError(file: source, expected: "a JWKS, a JWK, a PEM public key or an HMAC secret", found: "an empty file")
            }
            keys.append(Key(id: nil, type: "oct", curve: nil, algorithm: nil, use: nil, label: "the shared secret",
                            material: .secret(bytes)))
        }
    }

    struct SkipReason: Error { var text: String }

    static func key(jwk: [String: JSONValue], label: String) throws -> Key {
        let kid = jwk["kid"]?.stringValue
        let kty = jwk["kty"]?.stringValue ?? ""
        let alg = jwk["alg"]?.stringValue
        let use = jwk["use"]?.stringValue
        let crv = jwk["crv"]?.stringValue
        let name = label + (kid.map { " (kid \($0))" } ?? "")
        func str(_ k: String) throws -> String {
            guard let value = jwk[k] else { throw SkipReason(text: "has no \"\(k)\"") }
            guard let v = value.stringValue else { throw SkipReason(text: "has \"\(k)\" as a JSON \(value.kindName), not a base64url string") }
            guard !v.isEmpty else { throw SkipReason(text: "has an empty \"\(k)\"") }
            return v
        }
        let material: Material
        switch kty {
        case "RSA":
            do { material = .rsa(try JWTKit.Insecure.RSA.PublicKey(modulus: try str("n"), exponent: try str("e"))) }
            catch let e as SkipReason { throw e }
            catch { throw SkipReason(text: "is not a usable RSA key (jwt-kit refuses keys under 2048 bits)") }
        case "EC":
            let x = try str("x"), y = try str("y")
            do {
                switch crv {
                case "P-256": material = .p256(try ES256PublicKey(parameters: (x: x, y: y)))
                case "P-384": material = .p384(try ES384PublicKey(parameters: (x: x, y: y)))
                case "P-521": material = .p521(try ES512PublicKey(parameters: (x: x, y: y)))
                default: throw SkipReason(text: "has the curve \(crv.map { InputError.quote($0, limit: 16) } ?? "(none)"), not P-256, P-384 or P-521")
                }
            } catch let e as SkipReason { throw e } catch {
                throw SkipReason(text: "has x/y that are not a point of \(crv ?? "its curve")")
            }
        case "OKP":
            guard crv == "Ed25519" else { throw SkipReason(text: "is an OKP key on \(crv ?? "no curve"), not Ed25519") }
            do { material = .ed25519(try EdDSA.PublicKey(x: try str("x"), curve: .ed25519)) }
            catch let e as SkipReason { throw e }
            catch { throw SkipReason(text: "has an \"x\" that is not an Ed25519 public key") }
        case "oct":
            let k = try str("k")
            guard case .success(let bytes) = Base64URL.decode(Substring(k)), !bytes.isEmpty else {
                throw SkipReason(text: "has a \"k\" that is not base64url")
            }
            material = .secret(bytes)
        default:
            throw SkipReason(text: "has the key type \(InputError.quote(kty, limit: 16)), not RSA, EC, OKP or oct")
        }
        return Key(id: kid, type: kty, curve: crv, algorithm: alg, use: use, label: name, material: material)
    }

    static func key(pem: String, source: String) throws -> Key {
        let isCert = pem.contains("BEGIN CERTIFICATE")
        func make(_ type: String, _ curve: String?, _ m: Material) -> Key {
            Key(id: nil, type: type, curve: curve, algorithm: nil, use: nil,
                label: isCert ? "the certificate's public key" : "the PEM public key", material: m)
        }
        if isCert {
            if let k = try? JWTKit.Insecure.RSA.PublicKey(certificatePEM: pem) { return make("RSA", nil, .rsa(k)) }
            if let k = try? ES256PublicKey(certificate: pem) { return make("EC", "P-256", .p256(k)) }
            if let k = try? ES384PublicKey(certificate: pem) { return make("EC", "P-384", .p384(k)) }
            if let k = try? ES512PublicKey(certificate: pem) { return make("EC", "P-521", .p521(k)) }
        } else {
            if let k = try? JWTKit.Insecure.RSA.PublicKey(pem: pem) { return make("RSA", nil, .rsa(k)) }
            if let k = try? ES256PublicKey(pem: pem) { return make("EC", "P-256", .p256(k)) }
            if let k = try? ES384PublicKey(pem: pem) { return make("EC", "P-384", .p384(k)) }
            if let k = try? ES512PublicKey(pem: pem) { return make("EC", "P-521", .p521(k)) }
            if let k = try? EdDSA.PublicKey(pem: pem) { return make("OKP", "Ed25519", .ed25519(k)) }
        }
        throw InputError(file: source, expected: "an RSA (2048 bits or more), EC (P-256, P-384, P-521) or Ed25519 public key",
                         found: isCert ? "a certificate whose key is none of these" : "a PEM block that is none of these")
    }

    // MARK: verification

    /// The algorithms jwt-kit verifies, by JOSE name (RFC 7518 §3.1, RFC 8037 §3.1).
    public static let supportedAlgorithms: Set<String> = [
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
    ]

    /// Why `key` cannot check a token signed with `alg`, or nil when it can.
    public static func mismatch(_ key: Key, alg: String) -> String? {
        if let use = key.use, use != "sig" { return "\(key.label) is for \"use\": \"\(use)\", not signatures" }
        if let a = key.algorithm, a != alg { return "\(key.label) is for \(a), the token says \(alg)" }
        let family = String(alg.prefix(2))
        switch (key.material, family) {
        case (.rsa, "RS"), (.rsa, "PS"), (.secret, "HS"): return nil
        case (.p256, "ES") where alg == "ES256": return nil
        case (.p384, "ES") where alg == "ES384": return nil
        case (.p521, "ES") where alg == "ES512": return nil
        case (.ed25519, _) where alg == "EdDSA": return nil
        default:
            return "\(key.label) is \(key.kindText), which cannot check \(alg)"
        }
    }

    /// True when `signature` is `key`'s signature of `signingInput` under `alg`.
    static func verify(_ key: Key, alg: String, signingInput: [UInt8], signature: [UInt8]) async -> Bool {
        // HMAC straight from swift-crypto: jwt-kit asserts (a crash in debug builds) on secrets shorter
        // than the hash output, and a short secret is exactly what a person may hand us here.
        if case .secret(let s) = key.material {
            let k = SymmetricKey(data: s)
            switch alg {
            case "HS384": return HMAC<SHA384>.isValidAuthenticationCode(signature, authenticating: signingInput, using: k)
            case "HS512": return HMAC<SHA512>.isValidAuthenticationCode(signature, authenticating: signingInput, using: k)
            default: return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signingInput, using: k)
            }
        }
        let keys = JWTKeyCollection()
        let digest: DigestAlgorithm
        switch alg.suffix(3) {
        case "384": digest = .sha384
        case "512": digest = .sha512
        default: digest = .sha256
        }
        switch key.material {
        case .rsa(let k):
            if alg.hasPrefix("PS") { await keys.add(pss: k, digestAlgorithm: digest) } else { await keys.add(rsa: k, digestAlgorithm: digest) }
        case .p256(let k): await keys.add(ecdsa: k)
        case .p384(let k): await keys.add(ecdsa: k)
        case .p521(let k): await keys.add(ecdsa: k)
        case .ed25519(let k): await keys.add(eddsa: k)
        case .secret: return false  // handled above
        }
        guard let algorithm = try? await keys.getKey() else { return false }
        return (try? algorithm.verify(signature, signs: signingInput)) ?? false
    }
}

extension KeySet.Key {
    /// The length of a shared secret in bytes (nil for public keys).
    var secretLength: Int? { if case .secret(let s) = material { return s.count }; return nil }

    /// "an RSA key", "an EC P-256 key", "a shared secret".
    var kindText: String {
        switch material {
        case .rsa: "an RSA key"
        case .p256: "an EC P-256 key"
        case .p384: "an EC P-384 key"
        case .p521: "an EC P-521 key"
        case .ed25519: "an Ed25519 key"
        case .secret: "a shared secret (HMAC)"
        }
    }
}
