package io.patchbay.engine.internal.verify;

import io.patchbay.patch.PatchException;
import io.patchbay.patch.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The certificates whose signatures Patchbay accepts, from a PKCS12 (or JKS) trust store. A
 * signer is trusted when its own certificate is valid today and either is in the store itself or
 * is proven, by PKIX path validation, to be issued by one in the store. Names are never enough:
 * a chain is whatever the signer put in the patch, so every link must be checked by signature.
 */
final class TrustStore {

    private final List<X509Certificate> trusted;
    private final Path source;

    private TrustStore(Path source, List<X509Certificate> trusted) {
        this.source = source;
        this.trusted = trusted;
    }

    static TrustStore load(Path file, String password) throws PatchException {
        if (file == null || !Files.isRegularFile(file)) {
            return new TrustStore(file, List.of());
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            store.load(in, password == null ? null : password.toCharArray());
            List<X509Certificate> certificates = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                Certificate certificate = store.getCertificate(alias);
                if (certificate instanceof X509Certificate x509) {
                    certificates.add(x509);
                }
            }
            return new TrustStore(file, List.copyOf(certificates));
        } catch (IOException | GeneralSecurityException e) {
            throw new PatchException(Stage.VERIFY, "cannot read the trust store " + file + ": " + e.getMessage());
        }
    }

    boolean isEmpty() {
        return trusted.isEmpty();
    }

    Path source() {
        return source;
    }

    /** @return null when the chain is trusted, else why not (one line) */
    String whyNotTrusted(List<X509Certificate> chain, Date now) {
        if (chain.isEmpty()) {
            return "has no certificate";
        }
        X509Certificate signer = chain.get(0);
        try {
            signer.checkValidity(now);
        } catch (CertificateExpiredException e) {
            return "is signed by " + signer.getSubjectX500Principal().getName() + ", whose certificate expired on "
                    + signer.getNotAfter().toInstant();
        } catch (CertificateNotYetValidException e) {
            return "is signed by " + signer.getSubjectX500Principal().getName()
                    + ", whose certificate is not valid before " + signer.getNotBefore().toInstant();
        }
        if (trusted.isEmpty()) {
            return "is signed by " + signer.getSubjectX500Principal().getName() + ", but the trust store "
                    + (source == null ? "(none configured)" : source + " does not exist or holds no certificates");
        }
        if (trusted.contains(signer) || issuedByTrusted(chain, now)) {
            return null;
        }
        return "is signed by " + signer.getSubjectX500Principal().getName() + ", which the trust store "
                + (source == null ? "" : source.getFileName() + " ") + "does not trust";
    }

    /** PKIX validation of the chain, less any trusted certificates at its end, against the store. */
    private boolean issuedByTrusted(List<X509Certificate> chain, Date now) {
        List<X509Certificate> path = new ArrayList<>(chain);
        while (!path.isEmpty() && trusted.contains(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        if (path.isEmpty()) {
            return false;
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate certificate : trusted) {
                anchors.add(new TrustAnchor(certificate, null));
            }
            PKIXParameters parameters = new PKIXParameters(anchors);
            // Appliances are often offline; trust is managed by editing the trust store instead.
            parameters.setRevocationEnabled(false);
            parameters.setDate(now);
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
