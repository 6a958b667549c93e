using System.Diagnostics;

namespace MeTAI.Simulation.Serial;

/// <summary>The chain's fault hooks for HIL scenarios, its fault counters and its event recording.</summary>
public sealed partial class ServoChainTwin
{
    /// <summary>Fault hook: stop answering (and ignore every instruction) until turned off again.</summary>
    public void StopResponding(bool silent = true) => _silent = silent;

    /// <summary>
    /// Starts one bus cut of possibly overlapping ones (HIL faults): the bus stays silent until the last one has ended
    /// (<see cref="EndSilence"/>), so the end of a short cut cannot bring the bus back during a longer one.
    /// </summary>
    public void BeginSilence()
    {
        lock (_silenceLock)
        {
            _silences++;
            _silent = true;
        }
    }

    /// <summary>True while the chain neither answers nor listens.</summary>
    public bool IsSilent => _silent;

    /// <summary>Ends one bus cut started by <see cref="BeginSilence"/>; the bus answers again when none is left.</summary>
    public void EndSilence()
    {
        lock (_silenceLock)
        {
            _silences = Math.Max(0, _silences - 1);
            _silent = _silences > 0;
        }
    }

    /// <summary>Fault hook: flip one bit in each of the next <paramref name="count"/> bytes sent to the controller.</summary>
    public void CorruptNextBytes(int count) => Interlocked.Exchange(ref _corruptBytes, count);

    /// <summary>Fault hook: swallow the next <paramref name="count"/> status packets.</summary>
    public void DropNextReplies(int count) => Interlocked.Exchange(ref _dropReplies, count);

    /// <summary>
    /// Fault hook: flip one bit inside each of the next <paramref name="count"/> status packets (after the header, so the
    /// frame is found and fails its CRC — line noise of the kind the CRC exists for).
    /// </summary>
    public void CorruptNextReplies(int count) => Interlocked.Exchange(ref _corruptReplies, count);

    /// <summary>Fault hook: drop the next <paramref name="count"/> bytes sent to the controller (frames arrive cut short).</summary>
    public void DropNextBytes(int count) => Interlocked.Exchange(ref _dropBytes, count);

    /// <summary>Fault hook: corrupt every byte sent to the controller until turned off (a corruption storm).</summary>
    public void CorruptAll(bool on) => _corruptAll = on;

    /// <summary>Fault hook: hold every reply this long before sending it (a slow adapter, a loaded bus); zero turns it off.</summary>
    public void DelayReplies(TimeSpan delay) => Interlocked.Exchange(ref _delayTicks, (long)(delay.TotalSeconds * Stopwatch.Frequency));

    /// <summary>Bytes corrupted so far by the fault hooks.</summary>
    public long CorruptedBytes => Interlocked.Read(ref _corruptedBytes);

    /// <summary>Bytes dropped so far by the fault hooks.</summary>
    public long DroppedBytes => Interlocked.Read(ref _droppedBytes);

    /// <summary>Keep bus events (goal writes, torque changes) while true.</summary>
    public bool Recording
    {
        get => _recording;
        set => _recording = value;
    }

    /// <summary>Takes the bus events recorded so far (and forgets them).</summary>
    public IReadOnlyList<BusEvent> DrainEvents()
    {
        var list = new List<BusEvent>(_events.Count);
        while (_events.TryDequeue(out BusEvent? e))
        {
            list.Add(e);
        }

        return list;
    }

    /// <summary>Answers no Read or Sync Read while on (every write is still obeyed): feedback goes stale, commands still land.</summary>
    public void MuteReads(bool on) => _muteReads = on;

    /// <summary>Clears every chain-level fault hook (silence, corruption, drops, delay) — HIL runs reusing one chain.</summary>
    public void ClearFaults()
    {
        lock (_silenceLock)
        {
            _silences = 0;
            _silent = false;
        }
        _corruptAll = false;
        _muteReads = false;
        _rogue = null;
        Interlocked.Exchange(ref _corruptBytes, 0);
        Interlocked.Exchange(ref _dropReplies, 0);
        Interlocked.Exchange(ref _dropBytes, 0);
        Interlocked.Exchange(ref _corruptReplies, 0);
        Interlocked.Exchange(ref _delayTicks, 0);
        _clearWire = true;
        Relay?.ResetFaults();
    }
}
