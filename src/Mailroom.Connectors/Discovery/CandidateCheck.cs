namespace Mailroom.Connectors.Discovery;

/// <summary>
/// The result of connecting to one candidate: TCP, TLS (implicit or STARTTLS) and the greeting with capabilities.
/// No login is attempted. <see cref="AuthenticationMechanisms"/> are the SASL mechanisms offered after TLS.
/// </summary>
public sealed record CandidateCheck(ServerCandidate Candidate, bool Connected, string? Error, IReadOnlyList<string> AuthenticationMechanisms);
