package io.patchbay.engine.internal.verify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.interfaces.DSAKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.Manifest;

/**
 * Explains a signature the JDK ignored. When a jar is signed only with algorithms named in the
 * security property {@code jdk.jar.disabledAlgorithms} (SHA-1, MD5, short keys), the JDK treats
 * it as unsigned without saying why. {@link #describe} reads the signature's own algorithms (the
 * digest and key of the signature block, the digests of the signature file) and names the
 * disabled one and the constraint that disables it; if none matches, it says only that the JDK
 * does not accept the signature. It never throws: whatever it cannot read it leaves out.
 */
public final class DisabledSignature {

    static final String PROPERTY = "jdk.jar.disabledAlgorithms";

    private static final Map<String, String> DIGESTS = Map.of(
            "1.2.840.113549.2.2", "MD2",
            "1.2.840.113549.2.5", "MD5",
            "1.3.14.3.2.26", "SHA1",
            "2.16.840.1.101.3.4.2.4", "SHA224",
            "2.16.840.1.101.3.4.2.1", "SHA256",
            "2.16.840.1.101.3.4.2.2", "SHA384",
            "2.16.840.1.101.3.4.2.3", "SHA512");

    private DisabledSignature() {
    }

    /**
     * Why the JDK ignored a signature: "signed with SHA1withRSA, which this JDK disables
     * (jdk.jar.disabledAlgorithms: SHA1 denyAfter 2019-01-01)", or a more general sentence.
     *
     * @param signatureFile the {@code .SF} file's bytes, or {@code null}
     * @param block         the signature block's ({@code .RSA}, {@code .DSA}, {@code .EC}) bytes, or {@code null}
     */
    public static String describe(byte[] signatureFile, byte[] block) {
        PublicKey key = block == null ? null : signerKey(block);
        String digest = block == null ? null : signerDigest(block);
        String signature = digest == null || key == null ? null
                : digest + "with" + (key.getAlgorithm().equals("EC") ? "ECDSA" : key.getAlgorithm());
        Set<String> used = new LinkedHashSet<>();
        if (digest != null) {
            used.add(digest);
        }
        used.addAll(fileDigests(signatureFile));
        if (key != null) {
            used.add(key.getAlgorithm());
        }
        String disabled = Security.getProperty(PROPERTY);
        for (String constraint : disabled == null ? new String[0] : disabled.split(",")) {
            String[] words = constraint.trim().split("\\s+");
            for (String algorithm : used) {
                if (normal(words[0]).equals(normal(algorithm)) && holds(words, key)) {
                    String what = signature != null && (algorithm.equals(digest) || algorithm.equals(key.getAlgorithm()))
                            ? signature : algorithm;
                    return "signed with " + what + ", which this JDK disables (" + PROPERTY + ": "
                            + constraint.trim() + ")";
                }
            }
        }
        return "signed " + (signature == null ? "" : "with " + signature + " ")
                + "in a way this JDK does not accept";
    }

    /** Whether a constraint's key-size condition, if it has one, holds for the signer's key. */
    private static boolean holds(String[] words, PublicKey key) {
        for (int i = 1; i + 2 < words.length; i++) {
            if (!words[i].equals("keySize")) {
                continue;
            }
            int size = keySize(key);
            int limit;
            try {
                limit = Integer.parseInt(words[i + 2]);
            } catch (NumberFormatException e) {
                return true;
            }
            return switch (words[i + 1]) {
                case "<" -> size < limit;
                case "<=" -> size <= limit;
                case ">" -> size > limit;
                case ">=" -> size >= limit;
                case "==" -> size == limit;
                case "!=" -> size != limit;
                default -> true;
            };
        }
        return true;
    }

    private static int keySize(PublicKey key) {
        BigInteger measure = null;
        if (key instanceof RSAKey rsa) {
            measure = rsa.getModulus();
        } else if (key instanceof DSAKey dsa && dsa.getParams() != null) {
            measure = dsa.getParams().getP();
        } else if (key instanceof ECKey ec) {
            measure = ec.getParams().getOrder();
        }
        return measure == null ? -1 : measure.bitLength();
    }

    private static String normal(String algorithm) {
        return algorithm.replace("-", "").toUpperCase(Locale.ROOT);
    }

    /** The digests the signature file names, e.g. SHA1 from SHA1-Digest-Manifest. */
    private static List<String> fileDigests(byte[] signatureFile) {
        List<String> digests = new ArrayList<>();
        if (signatureFile == null) {
            return digests;
        }
        try {
            Manifest file = new Manifest(new ByteArrayInputStream(signatureFile));
            for (Object name : file.getMainAttributes().keySet()) {
                String text = name.toString();
                int suffix = text.indexOf("-Digest-Manifest");
                if (suffix > 0) {
                    digests.add(text.substring(0, suffix));
                }
            }
        } catch (IOException | RuntimeException e) {
            // a signature file the JDK could not read either: nothing to add
        }
        return digests;
    }

    private static PublicKey signerKey(byte[] block) {
        try {
            Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(block));
            return chain.isEmpty() ? null : chain.iterator().next().getPublicKey();
        } catch (CertificateException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The digest algorithm of the block's first signer: ContentInfo, its [0] SignedData, whose
     * last SET is the SignerInfos, whose first SignerInfo's third field is the digest algorithm.
     */
    static String signerDigest(byte[] block) {
        try {
            int[] contentInfo = tlv(block, 0);
            int[] explicit = child(block, contentInfo, 0xa0, false);
            int[] signedData = tlv(block, explicit[1]);
            int[] signerInfos = child(block, signedData, 0x31, true);
            int[] signerInfo = tlv(block, signerInfos[1]);
            List<int[]> fields = children(block, signerInfo);
            int[] algorithm = fields.get(2);
            int[] oid = tlv(block, algorithm[1]);
            return oid[0] == 0x06 ? DIGESTS.get(oid(block, oid)) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Tag, content start and content end of the DER element at {@code at}. */
    private static int[] tlv(byte[] der, int at) {
        int tag = der[at] & 0xff;
        int length = der[at + 1] & 0xff;
        int start = at + 2;
        if (length > 0x80) {
            int bytes = length & 0x7f;
            if (bytes > 3) {
                throw new IllegalArgumentException("element too long");
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = length << 8 | der[start++] & 0xff;
            }
        } else if (length == 0x80) {
            throw new IllegalArgumentException("indefinite length");
        }
        if (start + length > der.length) {
            throw new IllegalArgumentException("element past the end");
        }
        return new int[] {tag, start, start + length};
    }

    private static List<int[]> children(byte[] der, int[] parent) {
        List<int[]> children = new ArrayList<>();
        for (int at = parent[1]; at < parent[2]; ) {
            int[] child = tlv(der, at);
            children.add(child);
            at = child[2];
        }
        return children;
    }

    private static int[] child(byte[] der, int[] parent, int tag, boolean last) {
        int[] found = null;
        for (int[] child : children(der, parent)) {
            if (child[0] == tag) {
                found = child;
                if (!last) {
                    break;
                }
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no element " + tag);
        }
        return found;
    }

    private static String oid(byte[] der, int[] oid) {
        StringBuilder text = new StringBuilder();
        long value = 0;
        boolean first = true;
        for (int i = oid[1]; i < oid[2]; i++) {
            value = value << 7 | der[i] & 0x7f;
            if ((der[i] & 0x80) == 0) {
                if (first) {
                    long top = Math.min(value / 40, 2);
                    text.append(top).append('.').append(value - top * 40);
                    first = false;
                } else {
                    text.append('.').append(value);
                }
                value = 0;
            }
        }
        return text.toString();
    }
}
