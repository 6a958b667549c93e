using System.Globalization;
using System.Text;

namespace MeTAI.Robotics.Safety;

/// <summary>
/// The generated parts of docs/safety-case.md: the hazard → control → evidence table and the detection-time budget, from
/// <see cref="SafetyCase"/> and <see cref="InterlockCatalog"/>. A test keeps the document in sync (<c>METAI_UPDATE_DOCS=1</c>
/// rewrites it).
/// </summary>
public static class SafetyCaseDocs
{
    /// <summary>Marker pairs around each generated block.</summary>
    public static readonly (string Name, string Begin, string End)[] Blocks =
    [
        ("hazards", "<!-- BEGIN GENERATED: hazards -->", "<!-- END GENERATED: hazards -->"),
        ("budget", "<!-- BEGIN GENERATED: budget -->", "<!-- END GENERATED: budget -->"),
    ];

    /// <summary>One section per hazard: the hazardous situation, the clauses, and a table of its controls and their evidence.</summary>
    public static string HazardSections()
    {
        var sb = new StringBuilder();
        foreach (Hazard h in SafetyCase.Hazards)
        {
            sb.Append("### ").Append(h.Id).Append(" — ").Append(h.Name).Append("\n\n");
            sb.Append("- **Sequence of events:** ").Append(h.Sequence).Append('\n');
            sb.Append("- **Harm:** ").Append(h.Harm).Append('\n');
            sb.Append("- **Clauses:** ").Append(h.Clauses).Append('\n');
            sb.Append("- **Attacked in HIL campaigns by:** ").Append(string.Join(", ", h.CampaignFaults.Select(f => "`" + f + "`"))).Append("\n\n");
            sb.Append("| Control (ISO 14971 7.1) | Kind | Interlock → reaction | Worst case to the bus | Evidence |\n|---|---|---|---|---|\n");
            foreach (RiskControl c in h.Controls)
            {
                string interlock = c.Interlock == Interlocks.None ? "—" : $"`{c.Interlock}` → {Reaction(InterlockCatalog.ReactionOf(c.Interlock))}";
                string budget = c.Interlock == Interlocks.None ? "—" : SafetyCase.Budget(c.Interlock).TotalMs.ToString("0.#", CultureInfo.InvariantCulture) + " ms";
                IEnumerable<string> evidence = c.Tests.Select(t => "`" + t + "`").Concat(c.Scenarios.Select(s => "scenario `" + s + "` (+ negative)"));
                sb.Append("| ").Append(c.Measure).Append(" | ").Append(Kind(c.Kind)).Append(" | ").Append(interlock).Append(" | ").Append(budget)
                    .Append(" | ").Append(string.Join("<br>", evidence)).Append(" |\n");
            }

            sb.Append('\n');
        }

        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>Per interlock: how the worst case from the input to the reaction's first packet on the bus adds up.</summary>
    public static string BudgetTable()
    {
        var sb = new StringBuilder();
        sb.Append("| Interlock | Reaction | Worst case (ms) | How it adds up (ms) |\n|---|---|---|---|\n");
        foreach (Interlocks i in InterlockCatalog.All)
        {
            (double total, string sum) = SafetyCase.Budget(i);
            sb.Append("| ").Append(i).Append(" | ").Append(Reaction(InterlockCatalog.ReactionOf(i))).Append(" | ")
                .Append(total.ToString("0.#", CultureInfo.InvariantCulture)).Append(" | ").Append(sum).Append(" |\n");
        }

        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>Replaces every generated block of <paramref name="markdown"/> with fresh content.</summary>
    public static string Refresh(string markdown) => GeneratedBlocks.Refresh(markdown, "docs/safety-case.md", Blocks, name => name == "hazards" ? HazardSections() : BudgetTable());

    private static string Reaction(InterlockReaction r) => r switch
    {
        InterlockReaction.Hold => "hold (Paused)",
        InterlockReaction.FaultTorqueOff => "torque off, Fault (latched)",
        _ => "torque off, EStop (latched)",
    };

    private static string Kind(RiskControlKind k) => k switch
    {
        RiskControlKind.InherentDesign => "inherent design (a)",
        RiskControlKind.ProtectiveMeasure => "protective measure (b)",
        _ => "information for safety (c)",
    };
}
