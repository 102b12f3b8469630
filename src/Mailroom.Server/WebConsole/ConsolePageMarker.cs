namespace Mailroom.Server.WebConsole;

/// <summary>Endpoint metadata of the console's pages, for the headers only they get.</summary>
internal sealed class ConsolePageMarker;
