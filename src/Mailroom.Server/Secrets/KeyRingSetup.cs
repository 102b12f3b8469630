using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Mailroom.Server.Secrets;

/// <summary>
/// The Data Protection key ring lives in the data folder, and its keys are themselves encrypted with a
/// certificate: by default one generated on first start beside it (readable only by the owner), or the
/// operator's own (<c>Mailroom:Secrets:CertificatePath</c>), which can then be kept off the data volume.
/// </summary>
internal static class KeyRingSetup
{
    public const string ApplicationName = "Mailroom";

    public static void AddMailroomDataProtection(this IServiceCollection services, string dataPath, SecretsOptions options)
    {
        var keysPath = Path.Combine(dataPath, "keys");
        CreatePrivateDirectory(keysPath);
        var certificate = options.CertificatePath is { Length: > 0 } path
            ? X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword)
            : LoadOrCreateCertificate(Path.Combine(keysPath, "keyring-protector.pfx"));

        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToFileSystem(new DirectoryInfo(keysPath))
            .ProtectKeysWithCertificate(certificate)
            .UnprotectKeysWithAnyCertificate(certificate);
    }

    private static X509Certificate2 LoadOrCreateCertificate(string file)
    {
        if (File.Exists(file))
            return X509CertificateLoader.LoadPkcs12FromFile(file, password: null, X509KeyStorageFlags.Exportable);

        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=Mailroom key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(100));
        var pfx = created.Export(X509ContentType.Pfx);
        WritePrivateFile(file, pfx);
        return X509CertificateLoader.LoadPkcs12(pfx, password: null, X509KeyStorageFlags.Exportable);
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static void WritePrivateFile(string file, byte[] bytes)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(file, options);
        stream.Write(bytes);
    }
}
