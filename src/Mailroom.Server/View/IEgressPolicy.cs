using System.Net;

namespace Mailroom.Server.View;

/// <summary>Decides, for each address the image proxy is about to dial, whether it may.</summary>
internal interface IEgressPolicy
{
    /// <summary>Why connecting to <paramref name="address"/>:<paramref name="port"/> is refused, or null to allow it.</summary>
    string? Refuse(IPAddress address, int port);
}
