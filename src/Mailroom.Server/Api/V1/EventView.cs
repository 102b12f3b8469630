using System.Text.Json;
using Mailroom.Core.Events;

namespace Mailroom.Server.Api.V1;

/// <summary>An event as the changes feed and webhooks show it: the same JSON in both.</summary>
internal sealed record EventView(long Id, string Type, DateTimeOffset CreatedAt, JsonElement Data)
{
    public static EventView From(MailroomEvent e)
    {
        using var data = JsonDocument.Parse(e.Data);
        return new EventView(e.Id, e.Type, e.CreatedAt, data.RootElement.Clone());
    }
}
