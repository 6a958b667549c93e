using System.Text;

namespace MeTAI.Robotics.Safety;

/// <summary>
/// The generated parts of docs/safety.md: the Stateless diagram (<c>MermaidGraph</c>), the interlock table and the
/// state × trigger table as the supervisor actually behaves. A test keeps the document in sync
/// (<c>METAI_UPDATE_DOCS=1</c> rewrites it).
/// </summary>
public static class SafetyDocs
{
    /// <summary>Marker pairs around each generated block.</summary>
    public static readonly (string Name, string Begin, string End)[] Blocks =
    [
        ("diagram", "<!-- BEGIN GENERATED: state diagram -->", "<!-- END GENERATED: state diagram -->"),
        ("interlocks", "<!-- BEGIN GENERATED: interlock table -->", "<!-- END GENERATED: interlock table -->"),
        ("transitions", "<!-- BEGIN GENERATED: transition table -->", "<!-- END GENERATED: transition table -->"),
    ];

    /// <summary>The Mermaid state diagram.</summary>
    public static string Diagram() => "```mermaid\n" + new SafetySupervisor().ToMermaid().Trim().Replace("\r\n", "\n", StringComparison.Ordinal) + "\n```";

    /// <summary>Interlock → detection → reaction.</summary>
    public static string InterlockTable()
    {
        var sb = new StringBuilder();
        sb.Append("| Interlock | Detection (and bound) | Reaction |\n|---|---|---|\n");
        foreach (Interlocks i in InterlockCatalog.All)
        {
            string reaction = InterlockCatalog.ReactionOf(i) switch
            {
                InterlockReaction.Hold => "hold position, torque on → Paused (Resume once clear)",
                InterlockReaction.FaultTorqueOff => "torque off → Fault (latched; acknowledged Reset once clear)",
                _ => "torque off written on the bus from the loop thread at once → EStop (latched; acknowledged Reset after release)",
            };
            sb.Append("| ").Append(i).Append(" | ").Append(InterlockCatalog.DetectionOf(i)).Append(" | ").Append(reaction).Append(" |\n");
        }

        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>For every resting state, where each trigger leads (no interlock active, reset acknowledged).</summary>
    public static string TransitionTable()
    {
        SafetyTrigger[] triggers = Enum.GetValues<SafetyTrigger>();
        var sb = new StringBuilder();
        sb.Append("| State | Permitted: trigger → target | Ignored (no change, not refused) |\n|---|---|---|\n");
        foreach (SafetyState s in Enum.GetValues<SafetyState>())
        {
            if (s == SafetyState.Teleoperating)
            {
                continue;
            }

            var permitted = new List<string>();
            var ignored = new List<string>();
            foreach (SafetyTrigger t in triggers)
            {
                var observer = new Probe();
                var supervisor = new SafetySupervisor(s, observer);
                bool changed = t == SafetyTrigger.Reset ? supervisor.RequestReset(true) : supervisor.Fire(t);
                if (observer.Transitioned)
                {
                    permitted.Add($"{t} → {supervisor.State}");
                }
                else if (changed)
                {
                    ignored.Add(t.ToString());
                }
            }

            sb.Append("| ").Append(s).Append(" | ").Append(string.Join(", ", permitted)).Append(" | ").Append(string.Join(", ", ignored)).Append(" |\n");
        }

        return sb.Append("\nEvery other (state, trigger) pair is refused: the state stays and the refusal is audited.").ToString();
    }

    /// <summary>Replaces every generated block of <paramref name="markdown"/> with fresh content.</summary>
    public static string Refresh(string markdown) => GeneratedBlocks.Refresh(markdown, "docs/safety.md", Blocks, name => name switch
        {
            "diagram" => Diagram(),
            "interlocks" => InterlockTable(),
            _ => TransitionTable(),
        });

    private sealed class Probe : ISupervisorObserver
    {
        public bool Transitioned { get; private set; }

        public void OnTransition(SafetyState from, SafetyState to, SafetyTrigger trigger, Interlocks active) => Transitioned = true;

        public void OnRefused(SafetyState state, SafetyTrigger trigger, string reason)
        {
        }

        public void OnInterlockRaised(Interlocks interlock, InterlockReaction reaction, SafetyState state)
        {
        }

        public void OnInterlockCleared(Interlocks interlock, SafetyState state)
        {
        }
    }
}
