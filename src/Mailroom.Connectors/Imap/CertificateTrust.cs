using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Mailroom.Connectors.Imap;

/// <summary>Certificate validation that also trusts an operator-given CA (self-hosted servers). Never "accept all".</summary>
internal static class CertificateTrust
{
    public static RemoteCertificateValidationCallback ForCaFile(string caFile)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caFile);
        return (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None)
                return true;
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                return false;

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        };
    }
}
