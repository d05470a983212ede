namespace Switchboard.Simulator.Scripting;

internal enum StreamFault
{
    None,
    Reset,
    Hang,
    ErrorEvent,
    Malformed,
}

/// <summary>Scripted failures keyed by the number of data events already sent.</summary>
internal sealed record StreamFaults(
    int? ResetAfterEvents,
    int? HangAfterEvents,
    int? ErrorEventAfter,
    int? MalformedAfterEvents,
    bool OmitDone)
{
    /// <summary>The fault to inject before the next data event; the most disruptive one wins a tie.</summary>
    public StreamFault DueAt(int eventsSent)
    {
        if (ResetAfterEvents == eventsSent)
        {
            return StreamFault.Reset;
        }

        if (HangAfterEvents == eventsSent)
        {
            return StreamFault.Hang;
        }

        if (ErrorEventAfter == eventsSent)
        {
            return StreamFault.ErrorEvent;
        }

        return MalformedAfterEvents == eventsSent ? StreamFault.Malformed : StreamFault.None;
    }

    /// <summary>
    /// A non-streamed body has no events to count, so any configured reset/hang/malformed applies
    /// to the whole body; an error event has no non-stream equivalent and is ignored.
    /// </summary>
    public StreamFault ForWholeBody()
    {
        if (ResetAfterEvents.HasValue)
        {
            return StreamFault.Reset;
        }

        if (HangAfterEvents.HasValue)
        {
            return StreamFault.Hang;
        }

        return MalformedAfterEvents.HasValue ? StreamFault.Malformed : StreamFault.None;
    }
}
