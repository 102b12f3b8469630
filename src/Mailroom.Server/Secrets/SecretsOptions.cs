namespace Mailroom.Server.Secrets;

/// <summary>Where the certificate that encrypts the key ring comes from. Section <c>Mailroom:Secrets</c>.</summary>
internal sealed class SecretsOptions
{
    /// <summary>A PKCS#12 file; when empty, one is generated in the data folder on first start.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}
