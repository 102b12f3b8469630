using System.Globalization;
using Mailroom.Core.Sending;

namespace Mailroom.Server.Sending;

/// <summary>A calendar invitation of a <see cref="SendRequest"/> (<c>--json</c> and the API only).</summary>
internal sealed class SendInvitation
{
    public string? Uid { get; set; }
    public string? Summary { get; set; }
    public string? Description { get; set; }
    public string? Location { get; set; }

    /// <summary>Local time in <see cref="TimeZone"/> (yyyy-MM-ddTHH:mm), or UTC without one.</summary>
    public string? Start { get; set; }

    public string? End { get; set; }
    public string? TimeZone { get; set; }
    public string? Organizer { get; set; }
    public List<string> Attendees { get; set; } = [];
    public int Sequence { get; set; }

    /// <summary>request (default) or cancel.</summary>
    public string? Method { get; set; }

    public InvitationDraft ToDraft(OutgoingAddress defaultOrganizer) => new(
        Uid ?? Guid.NewGuid().ToString("N") + "@mailroom",
        Summary ?? "",
        ParseTime(Start, "start"),
        ParseTime(End, "end"),
        TimeZone,
        Organizer is null ? defaultOrganizer : SendRequest.ParseAddress(Organizer),
        [.. Attendees.Select(SendRequest.ParseAddress)],
        Description,
        Location,
        Sequence,
        (Method ?? "request").ToLowerInvariant() switch
        {
            "request" => InvitationMethod.Request,
            "cancel" => InvitationMethod.Cancel,
            _ => throw new InvalidDataException($"invitation method must be request or cancel (was '{Method}')"),
        });

    private static DateTime ParseTime(string? value, string field) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? DateTime.SpecifyKind(t, DateTimeKind.Unspecified)
            : throw new InvalidDataException($"invitation {field} '{value}' is not a date and time (yyyy-MM-ddTHH:mm)");
}
