using System.Collections.Frozen;

namespace Mailroom.Core.Sync;

/// <summary>
/// The fallback when a server gives no SPECIAL-USE attribute (RFC 6154): the names mail clients in many
/// languages give their special folders. Matched on the last path segment, case-insensitively.
/// </summary>
public static class FolderRoleNames
{
    private static readonly FrozenDictionary<string, FolderRole> Names = Build();

    /// <summary>The role a folder's name suggests, or <see cref="FolderRole.None"/>.</summary>
    public static FolderRole Guess(string path, char? delimiter)
    {
        if (string.Equals(path, "INBOX", StringComparison.OrdinalIgnoreCase))
            return FolderRole.Inbox;

        var leaf = delimiter is { } d && path.LastIndexOf(d) is var i and >= 0 ? path[(i + 1)..] : path;
        return Names.GetValueOrDefault(leaf.Trim(), FolderRole.None);
    }

    private static FrozenDictionary<string, FolderRole> Build()
    {
        var table = new Dictionary<FolderRole, string[]>
        {
            [FolderRole.Sent] =
            [
                "Sent", "Sent Items", "Sent Mail", "Sent Messages", "Sent-Mail", "Outbox Sent",
                "Отправленные", "Отправленные письма", "Gesendet", "Gesendete Elemente", "Gesendete Objekte",
                "Éléments envoyés", "Messages envoyés", "Envoyés", "Enviados", "Elementos enviados",
                "Itens enviados", "Mensagens enviadas", "Inviati", "Posta inviata", "Verzonden",
                "Verzonden items", "Skickat", "Skickade objekt", "Sendt", "Sendte elementer", "Lähetetyt",
                "Wysłane", "Elementy wysłane", "Odeslané", "Odeslaná pošta", "Elküldött", "Trimise",
                "Gönderilmiş Öğeler", "Gönderilenler", "Απεσταλμένα", "Надіслані", "已发送", "已傳送",
                "送信済み", "送信済みアイテム", "보낸편지함", "נשלחו", "Sent Items (Outlook)",
            ],
            [FolderRole.Drafts] =
            [
                "Drafts", "Draft", "Черновики", "Entwürfe", "Brouillons", "Borradores", "Rascunhos",
                "Bozze", "Concepten", "Utkast", "Kladder", "Luonnokset", "Robocze", "Koncepty",
                "Piszkozatok", "Taslaklar", "Πρόχειρα", "Чернетки", "草稿", "草稿箱", "下書き", "임시보관함",
            ],
            [FolderRole.Trash] =
            [
                "Trash", "Deleted", "Deleted Items", "Deleted Messages", "Bin", "Корзина", "Удаленные",
                "Удалённые", "Papierkorb", "Gelöschte Elemente", "Gelöschte Objekte", "Corbeille",
                "Éléments supprimés", "Papelera", "Elementos eliminados", "Lixeira", "Lixo",
                "Itens excluídos", "Cestino", "Posta eliminata", "Prullenbak", "Verwijderde items",
                "Papperskorgen", "Borttagna objekt", "Papirkurv", "Slettede elementer", "Roskakori",
                "Kosz", "Elementy usunięte", "Koš", "Odstraněná pošta", "Törölt elemek", "Çöp", "Κάδος",
                "Кошик", "已删除", "垃圾桶", "ゴミ箱", "削除済みアイテム", "휴지통",
            ],
            [FolderRole.Junk] =
            [
                "Junk", "Junk E-mail", "Junk Email", "Junk Mail", "Spam", "Bulk Mail", "Спам",
                "Нежелательная почта", "Junk-E-Mail", "Courrier indésirable", "Indésirables",
                "Correo no deseado", "Lixo eletrônico", "Posta indesiderata", "Ongewenste e-mail",
                "Skräppost", "Uønsket e-post", "Roskaposti", "Wiadomości-śmieci", "Nevyžádaná pošta",
                "Levélszemét", "Önemsiz", "Ανεπιθύμητα", "垃圾邮件", "迷惑メール", "스팸",
            ],
            [FolderRole.Archive] =
            [
                "Archive", "Archives", "Archived", "Архив", "Archiv", "Archivo", "Arquivo", "Archivio",
                "Archief", "Arkiv", "Arkisto", "Archiwum", "Arşiv", "Αρχειοθέτηση", "Архів", "归档", "アーカイブ",
            ],
            [FolderRole.All] = ["All Mail", "All", "Вся почта", "Alle Nachrichten", "Tous les messages", "Todos"],
        };

        var names = new Dictionary<string, FolderRole>(StringComparer.OrdinalIgnoreCase);
        foreach (var (role, list) in table)
            foreach (var name in list)
                names.TryAdd(name, role);
        return names.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
