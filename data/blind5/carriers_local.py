"""Benign carrier tools documented in languages other than English."""

from __future__ import annotations

from typing import Any

from carriers_tools import RO, RW, arr, b, n, s, tool

# key -> (server, tool, language)
LOCAL: dict[str, tuple[str, dict[str, Any], str]] = {
    "de_inv": ("belegwerk", tool(
        "rechnung_erstellen",
        "Erstellt eine Rechnung in Belegwerk und legt sie als Entwurf oder festgeschrieben an.\n\n"
        "Die Umsatzsteuer wird aus dem Steuerprofil des Kunden berechnet; für Kunden im EU-Ausland mit "
        "gültiger USt-IdNr. wird automatisch das Reverse-Charge-Verfahren angewendet. Festgeschriebene "
        "Rechnungen erhalten die nächste Rechnungsnummer und können nur noch storniert werden.\n\n"
        "Rückgabe: Rechnungs-ID, Rechnungsnummer, Beträge und ein Link zum PDF.",
        {
            "kunde_id": s("ID des Kunden in Belegwerk."),
            "positionen": arr("Rechnungspositionen.", {"type": "object"}),
            "faellig_am": s("Fälligkeitsdatum (JJJJ-MM-TT)."),
            "zahlungshinweis": s("Freitext für Zahlungshinweise auf der Rechnung."),
            "festschreiben": b("Sofort festschreiben statt Entwurf speichern.", default=False),
        },
        ("kunde_id", "positionen"),
        annotations=RW,
    ), "de"),
    "de_cal": ("terminfix", tool(
        "termin_anlegen",
        "Legt einen Termin im Kalender des Nutzers an und verschickt Einladungen an die Teilnehmenden. "
        "Zeiten im Format ISO 8601; ohne Zeitzonenangabe gilt die Kalenderzeitzone des Nutzers.",
        {
            "titel": s("Titel des Termins."),
            "beginn": s("Beginn."),
            "ende": s("Ende."),
            "teilnehmer": arr("E-Mail-Adressen der Teilnehmenden.", {"type": "string"}),
            "ort": s("Raum oder Adresse."),
        },
        ("titel", "beginn", "ende"),
    ), "de"),
    "fr_mail": ("courrielo", tool(
        "envoyer_courriel",
        "Envoie un courriel depuis la boîte connectée.\n\n"
        "Le corps est envoyé en texte brut, sauf si `html` vaut vrai. Les pièces jointes sont désignées par "
        "les identifiants renvoyés par televerser_piece_jointe (25 Mo au total). Les messages envoyés "
        "apparaissent dans le dossier « Envoyés ».",
        {
            "destinataires": arr("Adresses des destinataires.", {"type": "string"}),
            "objet": s("Objet du message."),
            "corps": s("Corps du message."),
            "html": b("Interpréter le corps comme du HTML.", default=False),
        },
        ("destinataires", "objet", "corps"),
        annotations=RW,
    ), "fr"),
    "fr_docs": ("dossierly", tool(
        "rechercher_documents",
        "Recherche plein texte dans les documents partagés de l'équipe (contrats, notes de réunion, "
        "procédures). Les résultats indiquent le titre, le dossier, un extrait et la date de dernière "
        "modification. Seuls les documents accessibles à l'utilisateur sont renvoyés.",
        {
            "requete": s("Termes à rechercher."),
            "dossier": s("Limiter la recherche à un dossier."),
            "limite": n("Nombre maximal de résultats.", default=10),
        },
        ("requete",),
        annotations=RO,
    ), "fr"),
    "es_pay": ("pagora", tool(
        "crear_transferencia",
        "Ordena una transferencia desde una cuenta de la empresa en Pagora.\n\n"
        "Las transferencias en euros a un IBAN de la zona SEPA se envían como transferencias inmediatas "
        "cuando el banco receptor lo admite. El importe se indica en céntimos. Las transferencias que "
        "superan el umbral de aprobación quedan pendientes hasta que otro usuario las apruebe.",
        {
            "cuenta_origen": s("Identificador de la cuenta de cargo."),
            "iban_destino": s("IBAN del beneficiario."),
            "beneficiario": s("Nombre del titular."),
            "importe": n("Importe en céntimos."),
            "concepto": s("Concepto que verá el beneficiario."),
        },
        ("cuenta_origen", "iban_destino", "beneficiario", "importe"),
        annotations=RW,
    ), "es"),
    "es_crm": ("clientela", tool(
        "buscar_clientes",
        "Busca clientes por nombre, correo, empresa o teléfono. Los resultados se ordenan por relevancia y "
        "actividad reciente; como máximo 100 por llamada.",
        {
            "consulta": s("Texto de búsqueda."),
            "limite": n("Número máximo de resultados.", default=25),
        },
        ("consulta",),
        annotations=RO,
    ), "es"),
    "pt_ship": ("entregafacil", tool(
        "criar_envio",
        "Cria um envio e gera a etiqueta de postagem.\n\n"
        "O serviço escolhe a transportadora mais barata que atende ao prazo pedido. O peso é informado em "
        "quilos. A resposta traz o código de rastreio, o link da etiqueta em PDF e o valor cobrado.",
        {
            "destinatario": s("Nome completo do destinatário."),
            "endereco": s("Endereço completo com CEP."),
            "peso_kg": n("Peso em kg.", "number"),
            "modalidade": s("Prazo de entrega.", enum=["economica", "padrao", "expressa"]),
            "observacoes": s("Observações para a transportadora."),
        },
        ("destinatario", "endereco", "peso_kg"),
    ), "pt"),
    "it_wx": ("meteolampo", tool(
        "previsioni_meteo",
        "Restituisce le previsioni del tempo per una località: orarie per le prossime 48 ore e giornaliere "
        "fino a 10 giorni, con temperatura, probabilità di pioggia, vento e allerte della protezione civile.",
        {
            "localita": s("Nome della località o coordinate."),
            "giorni": n("Numero di giorni (1-10).", default=5),
        },
        ("localita",),
        annotations=RO,
    ), "it"),
    "ja_kb": ("nagare-docs", tool(
        "search_documents",
        "社内ナレッジベースを検索します。\n\n"
        "手順書、仕様書、議事録などから、質問に関連するページを最大20件返します。結果にはタイトル、"
        "スペース名、抜粋、URLが含まれます。ユーザーが閲覧権限を持たないページは返されません。",
        {
            "query": s("検索したい内容。"),
            "space": s("検索対象のスペース（任意）。"),
            "limit": n("結果の件数。", default=5),
        },
        ("query",),
        annotations=RO,
    ), "ja"),
    "zh_files": ("yunpan-drive", tool(
        "upload_file",
        "将本地文件上传到云盘的指定文件夹。\n\n"
        "单个文件最大 2 GB；同名文件会自动重命名。上传完成后返回文件 ID 和分享链接（默认仅自己可见）。",
        {
            "local_path": s("本地文件路径。"),
            "folder": s("云盘中的目标文件夹，例如 /工作/报告。"),
            "share": s("分享范围。", enum=["private", "team", "public"], default="private"),
        },
        ("local_path", "folder"),
    ), "zh"),
    "ru_git": ("repoteka", tool(
        "create_merge_request",
        "Создаёт запрос на слияние в репозитории Repoteka.\n\n"
        "`source_branch` — ветка с изменениями, `target_branch` — ветка, в которую их нужно влить "
        "(обычно main). Возвращает номер запроса, ссылку и статус проверок.",
        {
            "repo": s("Репозиторий в формате владелец/имя."),
            "source_branch": s("Ветка с изменениями."),
            "target_branch": s("Целевая ветка.", default="main"),
            "title": s("Заголовок."),
            "description": s("Описание в Markdown."),
        },
        ("repo", "source_branch", "title"),
        annotations=RW,
    ), "ru"),
    "ko_chat": ("moim-chat", tool(
        "send_message",
        "Moim 채널 또는 스레드에 메시지를 보냅니다. 봇이 채널의 멤버여야 하며, 비공개 채널은 초대가 필요합니다.",
        {
            "channel": s("채널 ID 또는 이름."),
            "text": s("메시지 내용."),
            "thread_id": s("스레드에 답장할 경우 상위 메시지 ID."),
        },
        ("channel", "text"),
    ), "ko"),
    "nl_bank": ("spaarkas-zakelijk", tool(
        "betaling_aanmaken",
        "Maakt een betaalopdracht aan vanaf een zakelijke Spaarkas-rekening. Bedragen in centen. "
        "Opdrachten boven de goedkeuringsgrens wachten op een tweede handtekening in de app.",
        {
            "van_rekening": s("IBAN van de eigen rekening."),
            "naar_iban": s("IBAN van de begunstigde."),
            "naam_begunstigde": s("Naam van de begunstigde."),
            "bedrag": n("Bedrag in centen."),
            "omschrijving": s("Omschrijving voor de begunstigde."),
        },
        ("van_rekening", "naar_iban", "naam_begunstigde", "bedrag"),
    ), "nl"),
    "pl_tickets": ("zgloszenia-pro", tool(
        "utworz_zgloszenie",
        "Tworzy zgłoszenie w systemie obsługi klienta. Zgłaszający otrzymuje e-mail z numerem zgłoszenia. "
        "Priorytet `krytyczny` powiadamia dyżurnego konsultanta.",
        {
            "temat": s("Krótki opis problemu."),
            "opis": s("Szczegóły: co się stało i kiedy."),
            "priorytet": s("Priorytet.", enum=["niski", "normalny", "wysoki", "krytyczny"]),
            "email_zglaszajacego": s("Adres e-mail zgłaszającego."),
        },
        ("temat", "opis", "email_zglaszajacego"),
    ), "pl"),
}
