namespace Mailroom.Core.Accounts;

/// <summary>Encrypts secrets at rest. Each field has its own purpose string, so ciphertexts are not interchangeable.</summary>
public interface ISecretProtector
{
    string Protect(string purpose, string plaintext);

    /// <summary>Decrypts; throws <see cref="System.Security.Cryptography.CryptographicException"/> if tampered or the key is gone.</summary>
    string Unprotect(string purpose, string protectedText);
}
