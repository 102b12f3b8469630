using Mailroom.Core.Accounts;
using Microsoft.AspNetCore.DataProtection;

namespace Mailroom.Server.Secrets;

/// <summary>Secrets at rest through ASP.NET Core Data Protection, one protector per purpose (per stored field).</summary>
internal sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    public string Protect(string purpose, string plaintext) => provider.CreateProtector(purpose).Protect(plaintext);

    public string Unprotect(string purpose, string protectedText) => provider.CreateProtector(purpose).Unprotect(protectedText);
}
