namespace Mailroom.Storage.Model;

/// <summary>
/// One key of the ASP.NET Core Data Protection key ring, for cluster mode, where every node must decrypt every
/// mailbox's secret. The XML holds the key encrypted with the operator's certificate. The server's key-ring context
/// (Microsoft.AspNetCore.DataProtection.EntityFrameworkCore) reads and writes this table; the model owns it so that
/// the migrations create it.
/// </summary>
internal sealed class DataProtectionKeyEntity
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public string? Xml { get; set; }
}
