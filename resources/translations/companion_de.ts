<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>CallPanel</name>
    <message>
        <source>Hang up</source>
        <translation>Auflegen</translation>
    </message>
    <message>
        <source>End the call (Ctrl+H)</source>
        <translation>Gespräch beenden (Strg+H)</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Vermitteln</translation>
    </message>
    <message>
        <source>Transfer the call to the chosen result or the typed number (Ctrl+T)</source>
        <translation>Anruf an den ausgewählten Treffer oder die eingegebene Nummer weiterverbinden (Strg+T)</translation>
    </message>
    <message>
        <source>Keypad</source>
        <translation>Tastenfeld</translation>
    </message>
    <message>
        <source>Type digits to send during the call (Ctrl+D)</source>
        <translation>Ziffern eingeben, die im Gespräch gesendet werden (Strg+D)</translation>
    </message>
    <message>
        <source>Start or stop recording the call</source>
        <translation>Aufzeichnung des Gesprächs starten oder beenden</translation>
    </message>
    <message>
        <source>DTMF digits</source>
        <translation>DTMF-Ziffern</translation>
    </message>
    <message>
        <source>Digits to send during the call; Enter sends them (Ctrl+D)</source>
        <translation>Ziffern, die im Gespräch gesendet werden; Enter sendet sie (Strg+D)</translation>
    </message>
    <message>
        <source>Call ended: {0}</source>
        <translation>Gespräch beendet: {0}</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>unknown caller</source>
        <translation>unbekannter Anrufer</translation>
    </message>
    <message>
        <source>an unknown caller</source>
        <translation>ein unbekannter Anrufer</translation>
    </message>
    <message>
        <source>ringing</source>
        <translation>klingelt</translation>
    </message>
    <message>
        <source>calling</source>
        <translation>ruft an</translation>
    </message>
    <message>
        <source>on hold</source>
        <translation>gehalten</translation>
    </message>
    <message>
        <source>connected {0}</source>
        <translation>verbunden {0}</translation>
    </message>
    <message>
        <source>On hold: {0}</source>
        <translation>Gehalten: {0}</translation>
    </message>
    <message>
        <source>Ringing: {0}</source>
        <translation>Es klingelt: {0}</translation>
    </message>
    <message>
        <source>Calling {0}…</source>
        <translation>Rufe {0} an…</translation>
    </message>
    <message>
        <source>Call with {0} · {1}</source>
        <translation>Gespräch mit {0} · {1}</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>Aufzeichnung läuft</translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation>Aufzeichnung beenden</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Aufzeichnen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Zurückholen</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>Halten</translation>
    </message>
    <message>
        <source>Take the call off hold (Ctrl+Shift+H)</source>
        <translation>Gehaltenen Anruf zurückholen (Strg+Umschalt+H)</translation>
    </message>
    <message>
        <source>Put the call on hold (Ctrl+Shift+H)</source>
        <translation>Anruf halten (Strg+Umschalt+H)</translation>
    </message>
    <message>
        <source>Your phone acts on the call you are talking in: hold or end that one first.</source>
        <translation>Ihr Telefon handelt im laufenden Gespräch: halten oder beenden Sie zuerst dieses.</translation>
    </message>
    <message>
        <source>No call in progress.</source>
        <translation>Kein Gespräch im Gang.</translation>
    </message>
    <message>
        <source>Call ended.</source>
        <translation>Gespräch beendet.</translation>
    </message>
    <message>
        <source>A ringing call cannot be put on hold.</source>
        <translation>Ein klingelnder Anruf kann nicht gehalten werden.</translation>
    </message>
    <message>
        <source>Call resumed.</source>
        <translation>Anruf zurückgeholt.</translation>
    </message>
    <message>
        <source>Call on hold.</source>
        <translation>Anruf wird gehalten.</translation>
    </message>
    <message>
        <source>Call transferred to {0}.</source>
        <translation>Anruf an {0} weiterverbunden.</translation>
    </message>
    <message>
        <source>Sent {0}.</source>
        <translation>{0} gesendet.</translation>
    </message>
    <message>
        <source>Recording started.</source>
        <translation>Aufzeichnung gestartet.</translation>
    </message>
    <message>
        <source>Recording stopped.</source>
        <translation>Aufzeichnung beendet.</translation>
    </message>
</context>
<context>
    <name>CallPopup</name>
    <message>
        <source>Incoming call</source>
        <translation>Eingehender Anruf</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Annehmen</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <source>Open in CRM</source>
        <translation>Im CRM öffnen</translation>
    </message>
    <message>
        <source>Copy number</source>
        <translation>Nummer kopieren</translation>
    </message>
    <message>
        <source>Save as contact</source>
        <translation>Als Kontakt speichern</translation>
    </message>
    <message>
        <source>Call from a colleague</source>
        <translation>Anruf von einem Kollegen</translation>
    </message>
    <message>
        <source>Unknown number</source>
        <translation>Unbekannte Nummer</translation>
    </message>
    <message>
        <source>via queue {queue}</source>
        <translation>über Warteschlange {queue}</translation>
    </message>
    <message>
        <source>via a queue</source>
        <translation>über eine Warteschlange</translation>
    </message>
    <message>
        <source>Called once in the last {days} days</source>
        <translation>Hat in den letzten {days} Tagen einmal angerufen</translation>
    </message>
    <message>
        <source>Called {count} times in the last {days} days</source>
        <translation>Hat in den letzten {days} Tagen {count}-mal angerufen</translation>
    </message>
    <message>
        <source>Incoming call: {caller}</source>
        <translation>Eingehender Anruf: {caller}</translation>
    </message>
    <message>
        <source>Answering…</source>
        <translation>Wird angenommen…</translation>
    </message>
    <message>
        <source>Declining…</source>
        <translation>Wird abgelehnt…</translation>
    </message>
    <message>
        <source>Companion could not open the CRM link in a browser.</source>
        <translation>Companion konnte den CRM-Link nicht im Browser öffnen.</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>Companion</name>
    <message>
        <source>Companion (demo)</source>
        <translation>Companion (Demo)</translation>
    </message>
    <message>
        <source>{problem} {advice} Enter the REST password to connect for now.</source>
        <translation>{problem} {advice} Geben Sie das REST-Passwort ein, um sich vorerst zu verbinden.</translation>
    </message>
    <message>
        <source>The keyring holds no REST password for {url}: enter it to connect.</source>
        <translation>Der Schlüsselbund enthält kein REST-Passwort für {url}: Geben Sie es zum Verbinden ein.</translation>
    </message>
    <message>
        <source>The demo could not start: {reason}</source>
        <translation>Die Demo konnte nicht starten: {reason}</translation>
    </message>
    <message>
        <source>This desktop was not connected to the Companion relay: {problem}</source>
        <translation>Dieser Rechner wurde nicht mit dem Companion-Relay verbunden: {problem}</translation>
    </message>
    <message>
        <source>Connected to the Companion relay at {relay} as {user}.</source>
        <translation>Mit dem Companion-Relay {relay} als {user} verbunden.</translation>
    </message>
    <message>
        <source>Companion</source>
        <translation>Companion</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <source>Edit contact</source>
        <translation>Kontakt bearbeiten</translation>
    </message>
    <message>
        <source>New contact</source>
        <translation>Neuer Kontakt</translation>
    </message>
    <message>
        <source>&amp;First name:</source>
        <translation>&amp;Vorname:</translation>
    </message>
    <message>
        <source>&amp;Last name:</source>
        <translation>&amp;Nachname:</translation>
    </message>
    <message>
        <source>&amp;Organisation:</source>
        <translation>&amp;Firma:</translation>
    </message>
    <message>
        <source>&amp;Shown as:</source>
        <translation>&amp;Angezeigt als:</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>&amp;Telefon:</translation>
    </message>
    <message>
        <source>&amp;Mobile:</source>
        <translation>&amp;Mobil:</translation>
    </message>
    <message>
        <source>&amp;Home:</source>
        <translation>&amp;Privat:</translation>
    </message>
    <message>
        <source>Fa&amp;x:</source>
        <translation>Fa&amp;x:</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>&amp;Notes:</source>
        <translation>N&amp;otizen:</translation>
    </message>
    <message>
        <source>The name the phonebook shows. Leave it empty to use first and last name.</source>
        <translation>Der Name, den das Telefonbuch zeigt. Leer lassen, um Vor- und Nachname zu verwenden.</translation>
    </message>
    <message>
        <source>e.g. 089 123456 or +49 89 123456</source>
        <translation>z. B. 089 123456 oder +49 89 123456</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>first and last name</source>
        <translation>Vor- und Nachname</translation>
    </message>
    <message>
        <source>Enter a name or an organisation.</source>
        <translation>Geben Sie einen Namen oder eine Firma ein.</translation>
    </message>
    <message>
        <source>Enter at least one number.</source>
        <translation>Geben Sie mindestens eine Nummer ein.</translation>
    </message>
    <message>
        <source>Correct the number marked below.</source>
        <translation>Korrigieren Sie die unten markierte Nummer.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
</context>
<context>
    <name>DesktopIntegration</name>
    <message>
        <source>The link %1 was not dialled: Companion is not connected to a PBX.</source>
        <translation>Der Link %1 wurde nicht gewählt: Companion ist mit keiner Telefonanlage verbunden.</translation>
    </message>
    <message>
        <source>Companion is not connected to a PBX yet.</source>
        <translation>Companion ist noch mit keiner Telefonanlage verbunden.</translation>
    </message>
    <message>
        <source>Selected text: %1</source>
        <translation>Markierter Text: %1</translation>
    </message>
</context>
<context>
    <name>DialWindow</name>
    <message>
        <source>Name or number</source>
        <translation>Name oder Nummer</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Weiterverbinden</translation>
    </message>
    <message>
        <source>Save as contact…</source>
        <translation>Als Kontakt speichern…</translation>
    </message>
    <message>
        <source>Type a name, organisation or number.
Up/Down: choose a result · Enter: call it · Alt+1…9: call its 1st…9th number
Ctrl+H: hang up · Ctrl+Shift+H: hold · Ctrl+T: transfer · Ctrl+D: DTMF
Ctrl+P: pin or unpin a favourite · Ctrl+Up/Down: move it
Ctrl+S: save as contact · Ctrl+E: edit · Ctrl+Shift+Del: delete · Esc: close</source>
        <translation>Name, Firma oder Nummer eingeben.
↑/↓: Treffer auswählen · Enter: anrufen · Alt+1…9: Nummer 1–9 anrufen
Strg+H: auflegen · Strg+Umschalt+H: halten · Strg+T: weiterverbinden · Strg+D: DTMF
Strg+P: Favorit anheften oder lösen · Strg+↑/↓: verschieben
Strg+S: als Kontakt speichern · Strg+E: bearbeiten · Strg+Umschalt+Entf: löschen · Esc: schließen</translation>
    </message>
    <message>
        <source>Save the typed number or the chosen caller as a private contact (Ctrl+S)</source>
        <translation>Eingegebene Nummer oder ausgewählten Anrufer als privaten Kontakt speichern (Strg+S)</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <source>Edit the chosen private contact (Ctrl+E)</source>
        <translation>Ausgewählten privaten Kontakt bearbeiten (Strg+E)</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
    <message>
        <source>Delete the chosen private contact (Ctrl+Shift+Del)</source>
        <translation>Ausgewählten privaten Kontakt löschen (Strg+Umschalt+Entf)</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Anrufen</translation>
    </message>
    <message>
        <source>Call the chosen result (Enter); Alt+1…9 call its other numbers</source>
        <translation>Ausgewählten Treffer anrufen (Enter); Alt+1…9 rufen seine weiteren Nummern an</translation>
    </message>
    <message>
        <source>Favourites and recent calls</source>
        <translation>Favoriten und letzte Anrufe</translation>
    </message>
    <message>
        <source>Favourites</source>
        <translation>Favoriten</translation>
    </message>
    <message>
        <source>Recent calls</source>
        <translation>Letzte Anrufe</translation>
    </message>
    <message>
        <source>No recent calls</source>
        <translation>Keine letzten Anrufe</translation>
    </message>
    <message>
        <source>No contact found</source>
        <translation>Kein Kontakt gefunden</translation>
    </message>
    <message>
        <source>{0} of {1} contacts, type more to narrow it down</source>
        <translation>{0} von {1} Kontakten, bitte eingrenzen</translation>
    </message>
    <message>
        <source>1 contact</source>
        <translation>1 Kontakt</translation>
    </message>
    <message>
        <source>{0} contacts</source>
        <translation>{0} Kontakte</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>mobile</source>
        <translation>Mobil</translation>
    </message>
    <message>
        <source>home</source>
        <translation>Privat</translation>
    </message>
    <message>
        <source>fax</source>
        <translation>Fax</translation>
    </message>
    <message>
        <source>available</source>
        <translation>verfügbar</translation>
    </message>
    <message>
        <source>busy</source>
        <translation>besetzt</translation>
    </message>
    <message>
        <source>ringing</source>
        <translation>klingelt</translation>
    </message>
    <message>
        <source>on hold</source>
        <translation>gehalten</translation>
    </message>
    <message>
        <source>away</source>
        <translation>abwesend</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>private</source>
        <translation>privat</translation>
    </message>
    <message>
        <source>Unpin from favourites</source>
        <translation>Aus den Favoriten entfernen</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <source>Pin to favourites</source>
        <translation>Zu den Favoriten hinzufügen</translation>
    </message>
    <message>
        <source>colleague</source>
        <translation>intern</translation>
    </message>
    <message>
        <source>internal number</source>
        <translation>interne Nummer</translation>
    </message>
    <message>
        <source>phone number</source>
        <translation>Rufnummer</translation>
    </message>
    <message>
        <source>(extension {0})</source>
        <translation>(Durchwahl {0})</translation>
    </message>
    <message>
        <source>Call {0}</source>
        <translation>{0} anrufen</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>verpasst</translation>
    </message>
    <message>
        <source>outgoing</source>
        <translation>ausgehend</translation>
    </message>
    <message>
        <source>not answered</source>
        <translation>nicht angenommen</translation>
    </message>
    <message>
        <source>incoming</source>
        <translation>eingehend</translation>
    </message>
    <message>
        <source>yesterday {0}</source>
        <translation>gestern {0}</translation>
    </message>
    <message>
        <source>Enter: call · Alt+1…{0}: call that number</source>
        <translation>Enter/Alt+1…{0}: anrufen</translation>
    </message>
    <message>
        <source>“{0}” could not be looked up: {1}</source>
        <translation>„{0}“ konnte nicht nachgeschlagen werden: {1}</translation>
    </message>
    <message>
        <source>Choose a contact first, then press Alt+{0}.</source>
        <translation>Wählen Sie zuerst einen Kontakt aus und drücken Sie dann Alt+{0}.</translation>
    </message>
    <message>
        <source>{0} has no number to call.</source>
        <translation>{0} hat keine Nummer zum Anrufen.</translation>
    </message>
    <message numerus="yes">
        <source>{0} has only %n number(s) to call.</source>
        <translation>
            <numerusform>{0} hat nur %n Nummer zum Anrufen.</numerusform>
            <numerusform>{0} hat nur %n Nummern zum Anrufen.</numerusform>
        </translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>You are in a call with {0}. Dial {1} anyway? (your call is put on hold)</source>
        <translation>Sie telefonieren gerade mit {0}. Trotzdem {1} wählen? (Ihr Gespräch wird gehalten)</translation>
    </message>
    <message>
        <source>Dial</source>
        <translation>Wählen</translation>
    </message>
    <message>
        <source>Calling {0}…</source>
        <translation>{0} wird angerufen…</translation>
    </message>
    <message>
        <source>No call in progress: there is nothing to transfer.</source>
        <translation>Kein Gespräch im Gang: es gibt nichts weiterzuverbinden.</translation>
    </message>
    <message>
        <source>Transfer {0} to {1}?</source>
        <translation>{0} an {1} weiterverbinden?</translation>
    </message>
    <message>
        <source>Companion</source>
        <translation>Companion</translation>
    </message>
    <message>
        <source>Type a number or choose a contact to transfer the call to.</source>
        <translation>Geben Sie eine Nummer ein oder wählen Sie einen Kontakt aus, an den weiterverbunden werden soll.</translation>
    </message>
    <message>
        <source>company</source>
        <comment>contact tag: from the company phonebook</comment>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Choose a contact or a recent call to pin it.</source>
        <translation>Wählen Sie einen Kontakt oder einen letzten Anruf, um ihn anzuheften.</translation>
    </message>
    <message>
        <source>Removed {0} from your favourites.</source>
        <translation>{0} aus Ihren Favoriten entfernt.</translation>
    </message>
    <message>
        <source>Pinned {0} to your favourites.</source>
        <translation>{0} zu Ihren Favoriten hinzugefügt.</translation>
    </message>
    <message>
        <source>Clear the search field and choose a favourite to move it.</source>
        <translation>Leeren Sie das Suchfeld und wählen Sie einen Favoriten, um ihn zu verschieben.</translation>
    </message>
    <message>
        <source>Type a number first, or choose a recent call, to save it.</source>
        <translation>Geben Sie zum Speichern zuerst eine Nummer ein oder wählen Sie einen letzten Anruf aus.</translation>
    </message>
    <message>
        <source>Only your private contacts can be edited.</source>
        <translation>Nur Ihre privaten Kontakte lassen sich bearbeiten.</translation>
    </message>
    <message>
        <source>Saved {0} in your private contacts.</source>
        <translation>{0} in Ihren privaten Kontakten gespeichert.</translation>
    </message>
    <message>
        <source>Only your private contacts can be deleted.</source>
        <translation>Nur Ihre privaten Kontakte lassen sich löschen.</translation>
    </message>
    <message>
        <source>Delete contact</source>
        <translation>Kontakt löschen</translation>
    </message>
    <message>
        <source>Delete {0} from your private contacts?</source>
        <translation>{0} aus Ihren privaten Kontakten löschen?</translation>
    </message>
    <message>
        <source>This cannot be undone.</source>
        <translation>Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Deleted {0}.</source>
        <translation>{0} gelöscht.</translation>
    </message>
    <message>
        <source>Transfer the call here</source>
        <translation>Anruf hierhin weiterverbinden</translation>
    </message>
    <message>
        <source>Copy number</source>
        <translation>Nummer kopieren</translation>
    </message>
</context>
<context>
    <name>EnrolPrompt</name>
    <message>
        <source>Connect to a Companion relay</source>
        <translation>Mit einem Companion-Relay verbinden</translation>
    </message>
    <message>
        <source>Connect this desktop to the Companion relay at {relay}?</source>
        <translation>Diesen Rechner mit dem Companion-Relay {relay} verbinden?</translation>
    </message>
    <message>
        <source>Companion will then work through this relay instead of {current}.</source>
        <translation>Companion arbeitet dann über dieses Relay statt über {current}.</translation>
    </message>
    <message>
        <source>Companion will then work through this relay.</source>
        <translation>Companion arbeitet dann über dieses Relay.</translation>
    </message>
    <message>
        <source>Connect only with a link from your administrator: the relay sees your calls.</source>
        <translation>Verbinden Sie nur mit einem Link Ihres Administrators: Das Relay sieht Ihre Anrufe.</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
</context>
<context>
    <name>FirstStart</name>
    <message>
        <source>Welcome to Companion</source>
        <translation>Willkommen bei Companion</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Zurück</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>&amp;Weiter &gt;</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Try the &amp;demo</source>
        <translation>&amp;Demo ausprobieren</translation>
    </message>
    <message>
        <source>&amp;Connect to a PBX</source>
        <translation>Mit einer Telefonanlage &amp;verbinden</translation>
    </message>
    <message>
        <source>Connect to a Companion &amp;relay</source>
        <translation>Mit einem Companion-&amp;Relay verbinden</translation>
    </message>
    <message>
        <source>Step 1 of 4: the PBX's address</source>
        <translation>Schritt 1 von 4: die Adresse der Telefonanlage</translation>
    </message>
    <message>
        <source>Companion puts the dialing, phonebook, presence and call forwarding of your pascom or innovaphone phone system in reach, and a pascom system's voicemail and faxes too. Try it with a demo phone system first, or connect to your own.</source>
        <translation>Companion bringt Wählen, Telefonbuch, Präsenz und Rufumleitung Ihrer pascom- oder innovaphone-Telefonanlage in Reichweite, bei pascom auch Voicemail und Faxe. Probieren Sie es zuerst mit einer Demo-Telefonanlage aus, oder verbinden Sie sich mit Ihrer eigenen.</translation>
    </message>
    <message>
        <source>The address you open the pascom web UI with, including the instance; for an innovaphone PBX, wss://HOST/PBX0.</source>
        <translation>Die Adresse, mit der Sie die pascom-Weboberfläche öffnen, einschließlich der Instanz; für eine innovaphone-Anlage wss://HOST/PBX0.</translation>
    </message>
    <message>
        <source>PBX address:</source>
        <translation>Adresse der Telefonanlage:</translation>
    </message>
    <message>
        <source>only for a PBX with its own certificate</source>
        <translation>nur für eine Telefonanlage mit eigenem Zertifikat</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>CA file:</source>
        <translation>CA-Datei:</translation>
    </message>
    <message>
        <source>Step 2 of 4: the REST credentials</source>
        <translation>Schritt 2 von 4: die REST-Zugangsdaten</translation>
    </message>
    <message>
        <source>The PBX web UI shows them under Information &gt; Developer &gt; Show REST credentials.</source>
        <translation>Die Weboberfläche der Telefonanlage zeigt sie unter Information &gt; Entwickler &gt; REST-Zugangsdaten anzeigen.</translation>
    </message>
    <message>
        <source>REST user:</source>
        <translation>REST-Benutzer:</translation>
    </message>
    <message>
        <source>REST password:</source>
        <translation>REST-Passwort:</translation>
    </message>
    <message>
        <source>Keep the password for this session only</source>
        <translation>Passwort nur für diese Sitzung behalten</translation>
    </message>
    <message>
        <source>Kept in memory, never in a file: Companion asks for it at the next start.</source>
        <translation>Nur im Arbeitsspeicher, nie in einer Datei: Companion fragt beim nächsten Start wieder danach.</translation>
    </message>
    <message>
        <source>Step 3 of 4: who are you?</source>
        <translation>Schritt 3 von 4: Wer sind Sie?</translation>
    </message>
    <message>
        <source>Pick yourself from the PBX's users: Companion acts for this user.</source>
        <translation>Wählen Sie sich unter den Benutzern der Telefonanlage aus: Companion handelt für diesen Benutzer.</translation>
    </message>
    <message>
        <source>Search by name, login or extension</source>
        <translation>Nach Name, Anmeldename oder Durchwahl suchen</translation>
    </message>
    <message>
        <source>Step 4 of 4: your dialing region</source>
        <translation>Schritt 4 von 4: Ihre Wählregion</translation>
    </message>
    <message>
        <source>For numbers typed without a country code, like 089 123456. Proposed from your PBX's numbers and your system's settings.</source>
        <translation>Für Nummern ohne Ländervorwahl, etwa 089 123456. Vorgeschlagen aus den Nummern Ihrer Telefonanlage und den Einstellungen Ihres Systems.</translation>
    </message>
    <message>
        <source>Dialing region:</source>
        <translation>Wählregion:</translation>
    </message>
    <message>
        <source>&amp;Finish</source>
        <translation>&amp;Fertig</translation>
    </message>
    <message>
        <source>Step 1 of 3: the PBX's address</source>
        <translation>Schritt 1 von 3: die Adresse der Telefonanlage</translation>
    </message>
    <message>
        <source>Step 2 of 3: your myApps login</source>
        <translation>Schritt 2 von 3: Ihre myApps-Anmeldung</translation>
    </message>
    <message>
        <source>Step 3 of 3: your dialing region</source>
        <translation>Schritt 3 von 3: Ihre Wählregion</translation>
    </message>
    <message>
        <source>Your login name and password, as in myApps. Companion logs in once and keeps only the session it gets, never the password.</source>
        <translation>Ihr Anmeldename und Passwort wie in myApps. Companion meldet sich einmal an und behält nur die Sitzung, die es dabei erhält, nie das Passwort.</translation>
    </message>
    <message>
        <source>Your login name:</source>
        <translation>Ihr Anmeldename:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <source>Enter the PBX address, like https://pbx.example.com/instance.</source>
        <translation>Geben Sie die Adresse der Telefonanlage ein, etwa https://pbx.example.com/instanz.</translation>
    </message>
    <message>
        <source>Enter your login name and password.</source>
        <translation>Geben Sie Ihren Anmeldenamen und Ihr Passwort ein.</translation>
    </message>
    <message>
        <source>Enter the REST password.</source>
        <translation>Geben Sie das REST-Passwort ein.</translation>
    </message>
    <message>
        <source>Pick your user from the list.</source>
        <translation>Wählen Sie Ihren Benutzer aus der Liste.</translation>
    </message>
    <message>
        <source>The login session (not the password) is kept in your system's keyring.</source>
        <translation>Die Anmeldesitzung (nicht das Passwort) wird im Schlüsselbund Ihres Systems aufbewahrt.</translation>
    </message>
    <message>
        <source>The password is kept in your system's keyring.</source>
        <translation>Das Passwort wird im Schlüsselbund Ihres Systems aufbewahrt.</translation>
    </message>
    <message>
        <source>The PBX lists no users that Companion could act for.</source>
        <translation>Die Telefonanlage nennt keinen Benutzer, für den Companion handeln könnte.</translation>
    </message>
    <message>
        <source>Nothing was saved: {reason} Go back and choose "Keep the password for this session only" to connect anyway.</source>
        <translation>Es wurde nichts gespeichert: {reason} Gehen Sie zurück und wählen Sie „Passwort nur für diese Sitzung behalten“, um sich trotzdem zu verbinden.</translation>
    </message>
    <message>
        <source>Asking the PBX…</source>
        <translation>Frage die Telefonanlage…</translation>
    </message>
    <message>
        <source>Something went wrong inside Companion ({kind}).</source>
        <translation>In Companion ist etwas schiefgegangen ({kind}).</translation>
    </message>
    <message>
        <source>The PBX's CA certificate</source>
        <translation>Das CA-Zertifikat der Telefonanlage</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM-Zertifikate (*.pem *.crt *.cer);;Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>InboxWindow</name>
    <message>
        <source>Today {time}</source>
        <translation>Heute {time}</translation>
    </message>
    <message>
        <source>Yesterday {time}</source>
        <translation>Gestern {time}</translation>
    </message>
    <message>
        <source>{weekday} {day} {month} {time}</source>
        <translation>{weekday}, {day}. {month} {time}</translation>
    </message>
    <message>
        <source>{day} {month} {year} {time}</source>
        <translation>{day}. {month} {year} {time}</translation>
    </message>
    <message>
        <source>A fax is being sent. Wait until it is scheduled, then send the next.</source>
        <translation>Ein Fax wird gerade gesendet. Warten Sie, bis es zum Versand übergeben ist, und senden Sie dann das nächste.</translation>
    </message>
    <message>
        <source>{file} is not a PDF file. Only PDF files can be sent as a fax.</source>
        <translation>{file} ist keine PDF-Datei. Nur PDF-Dateien können als Fax gesendet werden.</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>Posteingang</translation>
    </message>
    <message>
        <source>No voicemail.</source>
        <translation>Keine Voicemails.</translation>
    </message>
    <message>
        <source>&amp;Call back</source>
        <translation>&amp;Zurückrufen</translation>
    </message>
    <message>
        <source>Save caller as &amp;contact…</source>
        <translation>Als &amp;Kontakt speichern…</translation>
    </message>
    <message>
        <source>Mark &amp;heard</source>
        <translation>Als &amp;abgehört markieren</translation>
    </message>
    <message>
        <source>Move the message to Old (Ctrl+M)</source>
        <translation>Nachricht zu den abgehörten verschieben (Strg+M)</translation>
    </message>
    <message>
        <source>&amp;Save as WAV…</source>
        <translation>Als WAV &amp;speichern…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Delete the message (Del)</source>
        <translation>Nachricht löschen (Entf)</translation>
    </message>
    <message>
        <source>Position in the message</source>
        <translation>Position in der Nachricht</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Empfangen</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Öffnen</translation>
    </message>
    <message>
        <source>Open the fax in your PDF viewer</source>
        <translation>Fax im PDF-Betrachter öffnen</translation>
    </message>
    <message>
        <source>&amp;Save as PDF…</source>
        <translation>Als PDF &amp;speichern…</translation>
    </message>
    <message>
        <source>Send &amp;fax…</source>
        <translation>Fa&amp;x senden…</translation>
    </message>
    <message>
        <source>Drop a PDF on this window to send it as a fax.</source>
        <translation>Ziehen Sie eine PDF-Datei auf dieses Fenster, um sie als Fax zu senden.</translation>
    </message>
    <message>
        <source>Fax number, e.g. 030 123456, or a name from the phonebook</source>
        <translation>Faxnummer, z. B. 030 123456, oder ein Name aus dem Telefonbuch</translation>
    </message>
    <message>
        <source>Fax number</source>
        <translation>Faxnummer</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Wird gesendet…</translation>
    </message>
    <message>
        <source>Faxes cannot be shown.</source>
        <translation>Faxe können nicht angezeigt werden.</translation>
    </message>
    <message>
        <source>Voicemail cannot be shown.</source>
        <translation>Die Voicemail kann nicht angezeigt werden.</translation>
    </message>
    <message>
        <source>&amp;Voicemail ({count} new)</source>
        <translation>&amp;Voicemail ({count} neu)</translation>
    </message>
    <message>
        <source>&amp;Voicemail</source>
        <translation>&amp;Voicemail</translation>
    </message>
    <message>
        <source>&amp;Fax</source>
        <translation>&amp;Fax</translation>
    </message>
    <message>
        <source>Call {number} from your phone (Ctrl+Enter)</source>
        <translation>{number} mit Ihrem Telefon anrufen (Strg+Enter)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>Abs&amp;pielen</translation>
    </message>
    <message>
        <source>Pause (Space)</source>
        <translation>Pause (Leertaste)</translation>
    </message>
    <message>
        <source>Play the message (Space). Played to its end, it is marked heard.</source>
        <translation>Nachricht abspielen (Leertaste). Bis zum Ende abgespielt, gilt sie als abgehört.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Lädt…</translation>
    </message>
    <message>
        <source>Voicemail cannot be played on this computer: Qt Multimedia could not be loaded ({reason}). You can still save a message as WAV and play it with another program.</source>
        <translation>Voicemails können auf diesem Computer nicht abgespielt werden: Qt Multimedia ließ sich nicht laden ({reason}). Sie können eine Nachricht aber als WAV speichern und mit einem anderen Programm abspielen.</translation>
    </message>
    <message>
        <source>The message cannot be played: {reason}</source>
        <translation>Die Nachricht kann nicht abgespielt werden: {reason}</translation>
    </message>
    <message>
        <source>This computer has no sound output, so the message plays silently and is not marked as heard. Use Save as WAV… to listen to it elsewhere.</source>
        <translation>Dieser Computer hat keine Tonausgabe: Die Nachricht läuft stumm und wird nicht als abgehört markiert. Mit „Als WAV speichern…“ können Sie sie anderswo anhören.</translation>
    </message>
    <message>
        <source>Delete voicemail</source>
        <translation>Voicemail löschen</translation>
    </message>
    <message>
        <source>Delete the message from {caller} ({time})?</source>
        <translation>Nachricht von {caller} ({time}) löschen?</translation>
    </message>
    <message>
        <source>It is removed from the PBX and cannot be restored.</source>
        <translation>Sie wird von der Telefonanlage entfernt und lässt sich nicht wiederherstellen.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Calling {number}…</source>
        <translation>{number} wird angerufen…</translation>
    </message>
    <message>
        <source>Contacts cannot be edited in this version of Companion.</source>
        <translation>In dieser Version von Companion lassen sich keine Kontakte bearbeiten.</translation>
    </message>
    <message>
        <source>Voicemail {caller} {time}</source>
        <translation>Voicemail {caller} {time}</translation>
    </message>
    <message>
        <source>Save voicemail as WAV</source>
        <translation>Voicemail als WAV speichern</translation>
    </message>
    <message>
        <source>WAV audio (*.wav)</source>
        <translation>WAV-Audio (*.wav)</translation>
    </message>
    <message>
        <source>Choose a PDF to send as a fax</source>
        <translation>PDF zum Faxen auswählen</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf *.PDF)</source>
        <translation>PDF-Dokumente (*.pdf *.PDF)</translation>
    </message>
    <message>
        <source>{file} could not be saved: {reason}</source>
        <translation>{file} konnte nicht gespeichert werden: {reason}</translation>
    </message>
    <message>
        <source>Saved {file}</source>
        <translation>{file} gespeichert</translation>
    </message>
    <message>
        <source>Fax from {sender} {time}</source>
        <translation>Fax von {sender} {time}</translation>
    </message>
    <message>
        <source>The fax cannot be opened: {reason}</source>
        <translation>Das Fax kann nicht geöffnet werden: {reason}</translation>
    </message>
    <message>
        <source>No program to show PDF files was found. Save the fax as a PDF file and open it yourself.</source>
        <translation>Es wurde kein Programm zum Anzeigen von PDF-Dateien gefunden. Speichern Sie das Fax als PDF-Datei und öffnen Sie es selbst.</translation>
    </message>
    <message>
        <source>Save fax as PDF</source>
        <translation>Fax als PDF speichern</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF-Dokumente (*.pdf)</translation>
    </message>
    <message numerus="yes">
        <source>Send “{file}” (%n page(s)) as a fax to:</source>
        <translation>
            <numerusform>„{file}“ (%n Seite) als Fax senden an:</numerusform>
            <numerusform>„{file}“ (%n Seiten) als Fax senden an:</numerusform>
        </translation>
    </message>
    <message>
        <source>{name} (fax {number})</source>
        <translation>{name} (Fax {number})</translation>
    </message>
    <message>
        <source>Fax to {number} scheduled.</source>
        <translation>Fax an {number} zum Versand übergeben.</translation>
    </message>
    <message>
        <source>Drop one PDF file to send it as a fax.</source>
        <translation>Ziehen Sie genau eine PDF-Datei hierher, um sie als Fax zu senden.</translation>
    </message>
    <message>
        <source>A fax is being sent. Wait until it is scheduled.</source>
        <translation>Ein Fax wird gerade gesendet. Warten Sie, bis es zum Versand übergeben ist.</translation>
    </message>
</context>
<context>
    <name>IncomingCalls</name>
    <message>
        <source>an unknown caller</source>
        <translation>ein unbekannter Anrufer</translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation>Verpasster Anruf</translation>
    </message>
    <message>
        <source>Missed call from {caller}</source>
        <translation>Verpasster Anruf von {caller}</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>Eingehender Anruf</translation>
    </message>
    <message>
        <source>{caller} is calling</source>
        <translation>{caller} ruft an</translation>
    </message>
    <message>
        <source>Companion</source>
        <translation>Companion</translation>
    </message>
    <message>
        <source>Companion could not open the CRM link in a browser.</source>
        <translation>Companion konnte den CRM-Link nicht im Browser öffnen.</translation>
    </message>
</context>
<context>
    <name>LinkPrompt</name>
    <message>
        <source>Call?</source>
        <translation>Anrufen?</translation>
    </message>
    <message>
        <source>Looking up the phonebook…</source>
        <translation>Suche im Telefonbuch…</translation>
    </message>
    <message>
        <source>Dial</source>
        <translation>Wählen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Dismiss all</source>
        <translation>Alle verwerfen</translation>
    </message>
    <message>
        <source>Call this number?</source>
        <translation>Diese Nummer anrufen?</translation>
    </message>
    <message>
        <source>Then sends %1 once the call is answered.</source>
        <translation>Sendet danach %1, sobald der Anruf angenommen ist.</translation>
    </message>
    <message>
        <source>%1 will not be dialled: Companion cannot tell when this call is answered. Key it in on your phone.</source>
        <translation>%1 wird nicht gewählt: Companion kann nicht erkennen, wann dieser Anruf angenommen wird. Tippen Sie es am Telefon ein.</translation>
    </message>
    <message>
        <source>1 more link waiting: Cancel shows it.</source>
        <translation>1 weiterer Link wartet: Abbrechen zeigt ihn.</translation>
    </message>
    <message>
        <source>%1 more links waiting: Cancel shows the next.</source>
        <translation>%1 weitere Links warten: Abbrechen zeigt den nächsten.</translation>
    </message>
    <message>
        <source>Not in the phonebook.</source>
        <translation>Nicht im Telefonbuch.</translation>
    </message>
</context>
<context>
    <name>LocalDirectory</name>
    <message>
        <source>The local directory could not be updated: {0}</source>
        <translation>Das lokale Verzeichnis konnte nicht aktualisiert werden: {0}</translation>
    </message>
    <message>
        <source>The local directory could not be updated; it shows the entries of {0}.</source>
        <translation>Das lokale Verzeichnis konnte nicht aktualisiert werden; es zeigt die Einträge vom {0}.</translation>
    </message>
    <message>
        <source>Searching the PBX: {0}</source>
        <translation>Suche in der Telefonanlage: {0}</translation>
    </message>
    <message>
        <source>Building the local directory: {0} of {1} entries; searching the PBX meanwhile.</source>
        <translation>Das lokale Verzeichnis wird aufgebaut: {0} von {1} Einträgen; bis dahin wird in der Telefonanlage gesucht.</translation>
    </message>
    <message>
        <source>Building the local directory; searching the PBX meanwhile.</source>
        <translation>Das lokale Verzeichnis wird aufgebaut; bis dahin wird in der Telefonanlage gesucht.</translation>
    </message>
    <message>
        <source>Searching the PBX: the local directory could not be updated ({0}).</source>
        <translation>Suche in der Telefonanlage: Das lokale Verzeichnis konnte nicht aktualisiert werden ({0}).</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>Player</name>
    <message>
        <source>The message cannot be played: {reason}</source>
        <translation>Die Nachricht kann nicht abgespielt werden: {reason}</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
</context>
<context>
    <name>ReceivedFaxModel</name>
    <message>
        <source>Sender</source>
        <translation>Absender</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Nummer</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Empfangen</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
    <message>
        <source>Unknown sender</source>
        <translation>Unbekannter Absender</translation>
    </message>
</context>
<context>
    <name>RedirectDialog</name>
    <message>
        <source>Redirect calls</source>
        <translation>Anrufe umleiten</translation>
    </message>
    <message>
        <source>Forward your calls to a number, an extension or a name from the phonebook:</source>
        <translation>Anrufe weiterleiten an eine Nummer, eine Nebenstelle oder einen Namen aus dem Telefonbuch:</translation>
    </message>
    <message>
        <source>Several match. Choose one:</source>
        <translation>Mehrere passen. Bitte wählen:</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>mobile</source>
        <translation>Mobil</translation>
    </message>
    <message>
        <source>home</source>
        <translation>Privat</translation>
    </message>
</context>
<context>
    <name>RelayDialog</name>
    <message>
        <source>Connect to a Companion relay</source>
        <translation>Mit einem Companion-Relay verbinden</translation>
    </message>
    <message>
        <source>Your administrator runs a Companion relay for your phone system and gives you its address and a one-time code (valid for 24 hours).</source>
        <translation>Ihr Administrator betreibt ein Companion-Relay für Ihre Telefonanlage und gibt Ihnen dessen Adresse und einen Einmalcode (24 Stunden gültig).</translation>
    </message>
    <message>
        <source>Relay address:</source>
        <translation>Relay-Adresse:</translation>
    </message>
    <message>
        <source>Enrolment code:</source>
        <translation>Anmeldecode:</translation>
    </message>
    <message>
        <source>only if the relay uses your company's own CA</source>
        <translation>nur wenn das Relay die eigene Zertifizierungsstelle Ihrer Firma verwendet</translation>
    </message>
    <message>
        <source>CA file (optional):</source>
        <translation>CA-Datei (optional):</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde …</translation>
    </message>
    <message>
        <source>Something went wrong inside Companion ({kind}).</source>
        <translation>In Companion ist etwas schiefgegangen ({kind}).</translation>
    </message>
</context>
<context>
    <name>SentFaxModel</name>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>To</source>
        <translation>An</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Wird gesendet</translation>
    </message>
    <message>
        <source>Waiting to retry</source>
        <translation>Wartet auf neuen Versuch</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Angehalten</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>PBX address:</source>
        <translation>Telefonanlage:</translation>
    </message>
    <message>
        <source>REST user:</source>
        <translation>REST-Benutzer:</translation>
    </message>
    <message>
        <source>REST password:</source>
        <translation>REST-Passwort:</translation>
    </message>
    <message>
        <source>The PBX web UI shows the REST user and password under Information &gt; Developer &gt; Show REST credentials. The password is kept in your system's keyring, never in a file.</source>
        <translation>Die Weboberfläche der Telefonanlage zeigt REST-Benutzer und -Passwort unter Information &gt; Developer &gt; Show REST credentials. Das Passwort wird im Schlüsselbund Ihres Systems gespeichert, nie in einer Datei.</translation>
    </message>
    <message>
        <source>Keep the password for this session only</source>
        <translation>Passwort nur für diese Sitzung behalten</translation>
    </message>
    <message>
        <source>Without a keyring: kept in memory, asked again at the next start.</source>
        <translation>Ohne Schlüsselbund: nur im Arbeitsspeicher, beim nächsten Start wird erneut gefragt.</translation>
    </message>
    <message>
        <source>your pascom login name</source>
        <translation>Ihr pascom-Anmeldename</translation>
    </message>
    <message>
        <source>Your login name:</source>
        <translation>Ihr Anmeldename:</translation>
    </message>
    <message>
        <source>Connected through the Companion relay at {relay} as {user} (this desktop: {device}). To use another relay or user, connect again with a new code.</source>
        <translation>Verbunden über das Companion-Relay {relay} als {user} (dieser Rechner: {device}). Für ein anderes Relay oder einen anderen Benutzer verbinden Sie sich erneut mit einem neuen Code.</translation>
    </message>
    <message>
        <source>PBX kind:</source>
        <translation>Art der Telefonanlage:</translation>
    </message>
    <message>
        <source>innovaphone: the address is wss://HOST/PBX0.</source>
        <translation>innovaphone: Die Adresse ist wss://HOST/PBX0.</translation>
    </message>
    <message>
        <source>From the system ({region})</source>
        <translation>Vom System ({region})</translation>
    </message>
    <message>
        <source>From the system</source>
        <translation>Vom System</translation>
    </message>
    <message>
        <source>Dialing region:</source>
        <translation>Land/Region:</translation>
    </message>
    <message>
        <source>For numbers typed without a country code, like 089 123456.</source>
        <translation>Für Nummern ohne Ländervorwahl, z. B. 089 123456.</translation>
    </message>
    <message>
        <source>only for a PBX with its own certificate</source>
        <translation>nur für Anlagen mit eigenem Zertifikat</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>CA file:</source>
        <translation>CA-Datei:</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Refresh every:</source>
        <translation>Aktualisieren alle:</translation>
    </message>
    <message>
        <source>Show a pop-up when a call comes in</source>
        <translation>Bei eingehenden Anrufen ein Fenster zeigen</translation>
    </message>
    <message>
        <source>Incoming calls:</source>
        <translation>Eingehende Anrufe:</translation>
    </message>
    <message>
        <source>Without the pop-up, a desktop notification says who is calling.</source>
        <translation>Ohne das Fenster sagt eine Desktop-Benachrichtigung, wer anruft.</translation>
    </message>
    <message>
        <source>Only for callers from outside</source>
        <translation>Nur für externe Anrufer</translation>
    </message>
    <message>
        <source>Look for calls every:</source>
        <translation>Anrufe prüfen alle:</translation>
    </message>
    <message>
        <source>How often Companion asks the PBX about your calls: a shorter time shows an incoming call sooner and asks the PBX more often.</source>
        <translation>Wie oft Companion die Telefonanlage nach Ihren Anrufen fragt: Eine kürzere Zeit zeigt einen eingehenden Anruf früher und fragt die Anlage öfter.</translation>
    </message>
    <message>
        <source>CRM link:</source>
        <translation>CRM-Link:</translation>
    </message>
    <message>
        <source>Optional. {number}, {e164} and {name} are replaced by the caller's number (as dialled, or in international form) and name.</source>
        <translation>Optional. {number}, {e164} und {name} werden durch die Nummer des Anrufers (wie gewählt oder international) und seinen Namen ersetzt.</translation>
    </message>
    <message>
        <source>Open the CRM link when I answer</source>
        <translation>Den CRM-Link öffnen, wenn ich annehme</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <source>Takes effect at once.</source>
        <translation>Wirkt sofort.</translation>
    </message>
    <message>
        <source>Global hotkeys take effect at once. Where the desktop offers apps no global hotkeys, bind this command to a key in the desktop's keyboard settings: companion dial --selection</source>
        <translation>Globale Tastenkürzel wirken sofort. Wo die Arbeitsumgebung Programmen keine globalen Tastenkürzel bietet, legen Sie diesen Befehl in den Tastatureinstellungen der Arbeitsumgebung auf eine Taste: companion dial --selection</translation>
    </message>
    <message>
        <source>Connect to a Companion &amp;relay…</source>
        <translation>Mit einem Companion-&amp;Relay verbinden …</translation>
    </message>
    <message>
        <source>Log in with an App object's password (for single users and administrators)</source>
        <translation>Mit dem Passwort eines App-Objekts anmelden (für Einzelbenutzer und Administratoren)</translation>
    </message>
    <message>
        <source>Recommended: leave this off and log in with your own myApps name and password; then no shared password is kept on this desktop.</source>
        <translation>Empfohlen: Lassen Sie dies aus und melden Sie sich mit Ihrem eigenen myApps-Namen und -Passwort an; dann wird kein gemeinsames Passwort auf diesem Rechner aufbewahrt.</translation>
    </message>
    <message>
        <source>App object:</source>
        <translation>App-Objekt:</translation>
    </message>
    <message>
        <source>The App object on the PBX that gives Companion the PbxAdminApi and RCC (usually companion).</source>
        <translation>Das App-Objekt auf der Telefonanlage, das Companion die PbxAdminApi und RCC gibt (meist companion).</translation>
    </message>
    <message>
        <source>App object password:</source>
        <translation>Passwort des App-Objekts:</translation>
    </message>
    <message>
        <source>The App object's password, as set on the PBX. It is kept in your system's keyring, never in a file.</source>
        <translation>Das Passwort des App-Objekts, wie es auf der Telefonanlage eingestellt ist. Es wird im Schlüsselbund Ihres Systems aufbewahrt, nie in einer Datei.</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <source>Your myApps password: Companion logs in once and keeps only the session.</source>
        <translation>Ihr myApps-Passwort: Companion meldet sich einmal an und behält nur die Sitzung.</translation>
    </message>
    <message>
        <source>Enter your myApps login name.</source>
        <translation>Geben Sie Ihren myApps-Anmeldenamen ein.</translation>
    </message>
    <message>
        <source>Enter the App object's password.</source>
        <translation>Geben Sie das Passwort des App-Objekts ein.</translation>
    </message>
    <message>
        <source>Enter your myApps password.</source>
        <translation>Geben Sie Ihr myApps-Passwort ein.</translation>
    </message>
    <message>
        <source>your myApps login name</source>
        <translation>Ihr myApps-Anmeldename</translation>
    </message>
    <message>
        <source>The PBX must be reachable to log in once.</source>
        <translation>Für die einmalige Anmeldung muss die Telefonanlage erreichbar sein.</translation>
    </message>
    <message>
        <source>Nothing was saved: {reason} {advice} Or choose "Keep the password for this session only".</source>
        <translation>Es wurde nichts gespeichert: {reason} {advice} Oder wählen Sie „Passwort nur für diese Sitzung behalten“.</translation>
    </message>
    <message>
        <source>Ask before a link or the hotkey dials</source>
        <translation>Nachfragen, bevor ein Link oder das Tastenkürzel wählt</translation>
    </message>
    <message>
        <source>Links:</source>
        <translation>Links:</translation>
    </message>
    <message>
        <source>Links come from web pages: asking shows the number before it rings.</source>
        <translation>Links stammen aus Webseiten: Die Nachfrage zeigt die Nummer, bevor es klingelt.</translation>
    </message>
    <message>
        <source>Dial the selection:</source>
        <translation>Markierung wählen:</translation>
    </message>
    <message>
        <source>Open the dial window:</source>
        <translation>Wählfenster öffnen:</translation>
    </message>
    <message>
        <source>Start Companion when I log in</source>
        <translation>Companion bei der Anmeldung starten</translation>
    </message>
    <message>
        <source>Start:</source>
        <translation>Start:</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Verbindung testen</translation>
    </message>
    <message>
        <source>Save &amp;anyway</source>
        <translation>&amp;Trotzdem speichern</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Enter the PBX address, like https://pbx.example.com/instance.</source>
        <translation>Geben Sie die Adresse der Telefonanlage ein, z. B. https://pbx.example.com/instance.</translation>
    </message>
    <message>
        <source>Enter the login name you use for the pascom client.</source>
        <translation>Geben Sie den Anmeldenamen ein, den Sie im pascom Client verwenden.</translation>
    </message>
    <message>
        <source>Enter the REST password.</source>
        <translation>Geben Sie das REST-Passwort ein.</translation>
    </message>
    <message>
        <source>Something went wrong inside Companion ({kind}).</source>
        <translation>In Companion ist ein interner Fehler aufgetreten ({kind}).</translation>
    </message>
    <message>
        <source>Asking the PBX…</source>
        <translation>Telefonanlage wird abgefragt…</translation>
    </message>
    <message>
        <source>Connected: {name}, extension {extension}</source>
        <translation>Verbunden: {name}, Durchwahl {extension}</translation>
    </message>
    <message>
        <source>You can save anyway and connect when the PBX is reachable.</source>
        <translation>Sie können trotzdem speichern; Companion verbindet sich, sobald die Telefonanlage erreichbar ist.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>The PBX's CA certificate</source>
        <translation>CA-Zertifikat der Telefonanlage</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM-Zertifikate (*.pem *.crt *.cer);;Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>{app} – {status}</source>
        <translation>{app} – {status}</translation>
    </message>
    <message>
        <source>not allowed for this REST user</source>
        <translation>für diesen REST-Benutzer nicht erlaubt</translation>
    </message>
    <message>
        <source>not set up on the PBX</source>
        <translation>in der Telefonanlage nicht eingerichtet</translation>
    </message>
    <message>
        <source>your user has no extension</source>
        <translation>Ihr Benutzer hat keine Durchwahl</translation>
    </message>
    <message>
        <source>not offered by this PBX</source>
        <translation>von dieser Telefonanlage nicht angeboten</translation>
    </message>
    <message>
        <source>not working right now</source>
        <translation>funktioniert gerade nicht</translation>
    </message>
    <message>
        <source>calls</source>
        <translation>Anrufe</translation>
    </message>
    <message>
        <source>phonebook</source>
        <translation>Telefonbuch</translation>
    </message>
    <message>
        <source>presence</source>
        <translation>Präsenz</translation>
    </message>
    <message>
        <source>queues</source>
        <translation>Warteschlangen</translation>
    </message>
    <message>
        <source>redirect</source>
        <translation>Umleitung</translation>
    </message>
    <message>
        <source>switches</source>
        <translation>Schalter</translation>
    </message>
    <message>
        <source>voicemail</source>
        <translation>Voicemail</translation>
    </message>
    <message>
        <source>faxes</source>
        <translation>Faxe</translation>
    </message>
    <message>
        <source>call history</source>
        <translation>Anrufliste</translation>
    </message>
    <message>
        <source>live calls</source>
        <translation>laufende Anrufe</translation>
    </message>
    <message>
        <source>{caller} is calling</source>
        <translation>{caller} ruft an</translation>
    </message>
    <message>
        <source>calling {callee}…</source>
        <translation>rufe {callee} an…</translation>
    </message>
    <message>
        <source>{caller} on hold ({time})</source>
        <translation>{caller} gehalten ({time})</translation>
    </message>
    <message>
        <source>in a call with {caller} ({time})</source>
        <translation>im Gespräch mit {caller} ({time})</translation>
    </message>
    <message>
        <source>not set up: choose Settings… to connect to your PBX</source>
        <translation>nicht eingerichtet: Unter „Einstellungen…“ verbinden Sie sich mit Ihrer Telefonanlage</translation>
    </message>
    <message>
        <source>connecting to the PBX…</source>
        <translation>Verbindung zur Telefonanlage wird hergestellt…</translation>
    </message>
    <message>
        <source>not connected to the PBX: {reason}</source>
        <translation>keine Verbindung zur Telefonanlage: {reason}</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>connected as {name} ({extension})</source>
        <translation>verbunden als {name} ({extension})</translation>
    </message>
    <message>
        <source>redirect to {target}</source>
        <translation>Rufumleitung auf {target}</translation>
    </message>
    <message>
        <source>1 new voicemail</source>
        <translation>1 neue Voicemail</translation>
    </message>
    <message>
        <source>{count} new voicemails</source>
        <translation>{count} neue Voicemails</translation>
    </message>
    <message>
        <source>1 missed call</source>
        <translation>1 verpasster Anruf</translation>
    </message>
    <message>
        <source>{count} missed calls</source>
        <translation>{count} verpasste Anrufe</translation>
    </message>
    <message>
        <source>paused in the queues</source>
        <translation>in den Warteschlangen pausiert</translation>
    </message>
    <message>
        <source>{feature} {why}</source>
        <translation>{feature} {why}</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>logged out</source>
        <translation>abgemeldet</translation>
    </message>
    <message>
        <source>paused: {reason}</source>
        <translation>pausiert: {reason}</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>logged in</source>
        <translation>angemeldet</translation>
    </message>
    <message>
        <source>&amp;Dial…</source>
        <translation>&amp;Wählen…</translation>
    </message>
    <message>
        <source>Recent &amp;calls</source>
        <translation>&amp;Letzte Anrufe</translation>
    </message>
    <message>
        <source>&amp;Presence</source>
        <translation>&amp;Präsenz</translation>
    </message>
    <message>
        <source>No presence profiles</source>
        <translation>Keine Präsenzprofile</translation>
    </message>
    <message>
        <source>Log in to the queues</source>
        <translation>Bei den Warteschlangen anmelden</translation>
    </message>
    <message>
        <source>Log out of the queues</source>
        <translation>Von den Warteschlangen abmelden</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>not answered</source>
        <translation>nicht angenommen</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>verpasst</translation>
    </message>
    <message>
        <source>Redirect to {target}</source>
        <translation>Umleiten an {target}</translation>
    </message>
    <message>
        <source>You may not change this switch (the PBX refused it)</source>
        <translation>Sie dürfen diesen Schalter nicht ändern (die Telefonanlage hat es abgelehnt)</translation>
    </message>
    <message>
        <source>Unpause</source>
        <translation>Pause beenden</translation>
    </message>
    <message>
        <source>&amp;Redirect</source>
        <translation>&amp;Rufumleitung</translation>
    </message>
    <message>
        <source>Redirect to…</source>
        <translation>Umleiten auf…</translation>
    </message>
    <message>
        <source>S&amp;witches</source>
        <translation>&amp;Schalter</translation>
    </message>
    <message>
        <source>No switches</source>
        <translation>Keine Schalter</translation>
    </message>
    <message>
        <source>&amp;Voicemail</source>
        <translation>&amp;Voicemail</translation>
    </message>
    <message>
        <source>&amp;Faxes</source>
        <translation>&amp;Faxe</translation>
    </message>
    <message>
        <source>Update the local &amp;directory</source>
        <translation>Lokales &amp;Verzeichnis aktualisieren</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Could not change {what}: {reason}</source>
        <translation>{what} konnte nicht geändert werden: {reason}</translation>
    </message>
    <message>
        <source>&amp;Voicemail ({count} new)</source>
        <translation>&amp;Voicemail ({count} neu)</translation>
    </message>
    <message>
        <source>{keys} dials the number selected in any window</source>
        <translation>{keys} wählt die in einem beliebigen Fenster markierte Nummer</translation>
    </message>
    <message>
        <source>Presence: {profile}</source>
        <translation>Präsenz: {profile}</translation>
    </message>
    <message>
        <source>Redirect off</source>
        <translation>Umleitung aus</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>Warteschlangen</translation>
    </message>
    <message>
        <source>Updating the local directory…</source>
        <translation>Das lokale Verzeichnis wird aktualisiert…</translation>
    </message>
    <message>
        <source>{entries} entries, updated {when}</source>
        <translation>{entries} Einträge, aktualisiert {when}</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>No calls yet</source>
        <translation>Noch keine Anrufe</translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation>Unbekannter Anrufer</translation>
    </message>
    <message>
        <source>Queues: {states}</source>
        <translation>Warteschlangen: {states}</translation>
    </message>
    <message>
        <source>Redirect on</source>
        <translation>Rufumleitung aktiv</translation>
    </message>
    <message>
        <source>The PBX shows this switch but offers no way to change it</source>
        <translation>Die Telefonanlage zeigt diesen Schalter, bietet aber keinen Weg, ihn umzuschalten</translation>
    </message>
    <message>
        <source>Your presence is now '{name}'.</source>
        <translation>Ihre Präsenz ist jetzt „{name}“.</translation>
    </message>
    <message>
        <source>your presence to '{name}'</source>
        <translation>Ihre Präsenz auf „{name}“</translation>
    </message>
    <message>
        <source>You are paused in the queues.</source>
        <translation>Sie sind in den Warteschlangen pausiert.</translation>
    </message>
    <message>
        <source>You are no longer paused in the queues.</source>
        <translation>Sie sind in den Warteschlangen nicht mehr pausiert.</translation>
    </message>
    <message>
        <source>You are logged in to the queues.</source>
        <translation>Sie sind in den Warteschlangen angemeldet.</translation>
    </message>
    <message>
        <source>You are logged out of the queues.</source>
        <translation>Sie sind von den Warteschlangen abgemeldet.</translation>
    </message>
    <message>
        <source>the redirect</source>
        <translation>Die Umleitung</translation>
    </message>
    <message>
        <source>Your calls are no longer redirected.</source>
        <translation>Ihre Anrufe werden nicht mehr umgeleitet.</translation>
    </message>
    <message>
        <source>Your calls are now redirected to {target}.</source>
        <translation>Ihre Anrufe werden jetzt zu {target} umgeleitet.</translation>
    </message>
    <message>
        <source>'{name}' is a company-wide switch: turning it off changes how calls are routed for everybody, not only for you.</source>
        <translation>„{name}“ ist ein firmenweiter Schalter: Ausschalten ändert die Anrufweiterleitung für alle, nicht nur für Sie.</translation>
    </message>
    <message>
        <source>Turn off</source>
        <translation>Ausschalten</translation>
    </message>
    <message>
        <source>'{name}' is a company-wide switch: turning it on changes how calls are routed for everybody, not only for you.</source>
        <translation>„{name}“ ist ein firmenweiter Schalter: Einschalten ändert die Anrufweiterleitung für alle, nicht nur für Sie.</translation>
    </message>
    <message>
        <source>Turn on</source>
        <translation>Einschalten</translation>
    </message>
    <message>
        <source>Change a company-wide switch?</source>
        <translation>Einen firmenweiten Schalter ändern?</translation>
    </message>
    <message>
        <source>The switch '{name}' is now on.</source>
        <translation>Der Schalter „{name}“ ist jetzt an.</translation>
    </message>
    <message>
        <source>The switch '{name}' is now off.</source>
        <translation>Der Schalter „{name}“ ist jetzt aus.</translation>
    </message>
    <message>
        <source>the switch '{name}'</source>
        <translation>Der Schalter „{name}“</translation>
    </message>
    <message>
        <source>Companion</source>
        <translation>Companion</translation>
    </message>
    <message>
        <source>Your desktop shows no system tray, so Companion runs in this window.</source>
        <translation>Ihr Desktop zeigt keinen Infobereich (Systray), darum läuft Companion in diesem Fenster.</translation>
    </message>
    <message>
        <source>Fa&amp;vourites</source>
        <translation>Fa&amp;voriten</translation>
    </message>
    <message>
        <source>No favourites: pin them in the dial window</source>
        <translation>Keine Favoriten: heften Sie sie im Wählfenster an</translation>
    </message>
    <message>
        <source>Companion (demo)</source>
        <translation>Companion (Demo)</translation>
    </message>
    <message>
        <source>New voicemail from {caller} ({duration})</source>
        <translation>Neue Voicemail von {caller} ({duration})</translation>
    </message>
    <message>
        <source>an unknown caller</source>
        <translation>einem unbekannten Anrufer</translation>
    </message>
    <message>
        <source>New voicemail</source>
        <translation>Neue Voicemail</translation>
    </message>
    <message>
        <source>an unknown sender</source>
        <translation>einem unbekannten Absender</translation>
    </message>
    <message>
        <source>New fax from {sender} (1 page)</source>
        <translation>Neues Fax von {sender} (1 Seite)</translation>
    </message>
    <message>
        <source>New fax from {sender} ({pages} pages)</source>
        <translation>Neues Fax von {sender} ({pages} Seiten)</translation>
    </message>
    <message>
        <source>New fax from {sender}</source>
        <translation>Neues Fax von {sender}</translation>
    </message>
    <message>
        <source>New fax</source>
        <translation>Neues Fax</translation>
    </message>
    <message>
        <source>This window is not part of this version of Companion.</source>
        <translation>Dieses Fenster gibt es in dieser Version von Companion nicht.</translation>
    </message>
</context>
<context>
    <name>VoicemailModel</name>
    <message>
        <source>Caller</source>
        <translation>Anrufer</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Empfangen</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation>Unbekannter Anrufer</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>Neue Nachricht</translation>
    </message>
</context>
</TS>
