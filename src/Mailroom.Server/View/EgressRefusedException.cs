namespace Mailroom.Server.View;

/// <summary>The egress policy refused the address a fetch was about to connect to.</summary>
internal sealed class EgressRefusedException(string message) : Exception(message);
