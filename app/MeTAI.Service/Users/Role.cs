namespace MeTAI.Service.Users;

/// <summary>What a person does with the service; each role has its own set of <see cref="Permissions"/>.</summary>
public enum Role
{
    /// <summary>Imports patients, makes and exports plans.</summary>
    Dosimetrist,

    /// <summary>Reviews and approves plans, commissions the beam model; may upload identified data.</summary>
    Physicist,

    /// <summary>Reviews and approves plans.</summary>
    Physician,

    /// <summary>Views plans and the controller (rehearsal, teleoperation).</summary>
    Surgeon,

    /// <summary>Runs the controller and HIL; no patient data.</summary>
    Engineer,

    /// <summary>Hosts the service: users, tokens and the audit log; no patient data.</summary>
    Admin,
}
