using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Server.Secrets;

/// <summary>
/// The Data Protection key ring lives in the data folder, and its keys are themselves encrypted with a
/// certificate: by default one generated on first start beside it (readable only by the owner), or the
/// operator's own (<c>Mailroom:Secrets:CertificatePath</c>), which can then be kept off the data volume. In cluster
/// mode the key ring is in the shared PostgreSQL database instead, so that every node decrypts every mailbox's secret
/// and no node depends on another's disk; its keys are encrypted with the operator's certificate, which every node has.
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

    public static void AddMailroomClusterDataProtection(this IServiceCollection services, string connectionString, SecretsOptions options)
    {
        if (options.CertificatePath is not { Length: > 0 } path)
            throw new InvalidOperationException(
                "Cluster:Enabled needs Secrets:CertificatePath: the same PKCS#12 certificate on every node encrypts the shared key ring.");
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
        services.AddDbContext<KeyRingDbContext>(db => db.UseNpgsql(connectionString));
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<KeyRingDbContext>()
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
