namespace Mailroom.Storage.Model;

/// <summary>
/// A secret every cluster node must share (the view-link signing key), stored as Data Protection ciphertext: the
/// database alone does not reveal it.
/// </summary>
internal sealed class ClusterSecretEntity
{
    public required string Name { get; set; }
    public required string ProtectedValue { get; set; }
}
