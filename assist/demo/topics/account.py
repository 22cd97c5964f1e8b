"""Account questions: signing in, 2FA, SSO, team members, exports, deletion, retention."""

from __future__ import annotations

from assist.demo.wording import (
    ENTERPRISE_FEATURES,
    FREE,
    PAID,
    PRO_FEATURES,
    TIME_TRACKING,
    FollowUp,
    Topic,
    Wording,
    topic,
)

PASSWORD = topic(
    "password-reset",
    "account",
    "password-reset",
    Wording(
        "reset-email-missing",
        ("Password reset email not arriving", "No reset link"),
        (
            "I clicked 'Forgot password' three times this morning and no email ever showed up. I checked spam too.",
            "The password reset link never arrives. My colleague got hers in seconds, so I'm not sure what's different for me.",
            "Trying to reset my password but the email doesn't come. I need to get into Lumen before our invoices go out today.",
        ),
        (
            "Make sure you entered the address you sign in with.",
            "Corporate mail filters sometimes hold our emails. Ask your IT team to allow mail from lumen.app.",
        ),
        'The reset email comes from no-reply@lumen.app with the subject "Reset your Lumen password". Please make sure '
        "you entered the exact address you sign in with, and ask your IT team to allow mail from lumen.app: corporate "
        "mail filters sometimes hold our emails before they reach your inbox.",
        (
            FollowUp(
                "Still no reset email. I've requested it again several times and checked every folder.",
                ("You can request a new link at most 5 times per hour. After that, wait an hour before trying again.",),
                "Thanks for checking. A new link can be requested at most 5 times per hour, so after several tries the "
                "next requests are held back. Please wait an hour and then request a single new link; if your IT team "
                "has allowed mail from lumen.app by then, it should come through.",
            ),
        ),
        terse="reset email not coming. checked spam already",
        non_native="Hello, i ask the reset of my password many times but the email is not arriving to me. What i can do please?",
        rewrite=(
            "Sorry the reset email isn't reaching you. It's sent from no-reply@lumen.app, and company mail "
            "filters sometimes hold it back, so your IT team may need to allow mail from lumen.app. It's also "
            "worth double-checking that you typed the same address you sign in with."
        ),
        fixable=True,
    ),
    Wording(
        "reset-link-expired",
        ("Reset link expired", "Password link says invalid"),
        (
            "The reset link says it has expired, but I only got it yesterday evening.",
            "Every time I click the password reset link it says 'link expired or already used'.",
        ),
        (
            "Links expire after 60 minutes or after they have been used once.",
            "Request a new link from the sign-in page; only the newest link works.",
        ),
        "Reset links are valid for 60 minutes and work only once, so a link from yesterday (or one that was already "
        "opened) shows that message. Please request a new link from the sign-in page and use the newest email right "
        "away: only the newest link works.",
        (
            FollowUp(
                "The new link worked, but now it won't accept my new password. What are the rules?",
                ("Choose a new password of at least 12 characters. You cannot reuse any of your last 5 passwords.",),
                "Glad the link worked. The new password needs at least 12 characters, and it can't be one of your last "
                "5 passwords, so an older favourite will be refused.",
            ),
        ),
        terse="reset link says expired. got it yesterday",
        rewrite=(
            "A reset link only works for 60 minutes and only once, and requesting a new one cancels the older "
            "ones. If you ask for a fresh link on the sign-in page and click it straight away, it will go "
            "through."
        ),
        fixable=True,
    ),
    Wording(
        "reset-disabled-sso",
        ("Password reset disabled",),
        ("I wanted to reset my password, but the sign-in page says password reset isn't available for my account.",),
        (
            "If your company uses single sign-on (SSO), password reset is disabled: sign in through your identity "
            "provider instead",
        ),
        "Your workspace uses single sign-on, and with SSO password reset is disabled: you sign in through your "
        "company's identity provider instead of with a Lumen password.",
        (
            FollowUp(
                "Where do I do that? I only see the normal email and password form.",
                ("Your workspace enforces single sign-on: click Continue with SSO and enter your work email.",),
                "On the sign-in page at lumen.app/login, click Continue with SSO and enter your work email; you'll be "
                "sent to your company's sign-in page from there.",
                article="login-troubleshooting",
            ),
        ),
        plans=ENTERPRISE_FEATURES,
        rewrite=(
            "That's expected for your account: your company signs in to Lumen with single sign-on, so there is no"
            " Lumen password to reset. Sign in through your company's identity provider instead."
        ),
        fixable=True,
    ),
)

TWO_FACTOR = topic(
    "two-factor",
    "account",
    "two-factor-authentication",
    Wording(
        "2fa-lost-phone",
        ("Lost phone, can't get 2FA code", "New phone - authenticator codes gone"),
        (
            "I got a new phone and my authenticator app didn't transfer. Now I can't log in because Lumen wants a 2FA code.",
            "My phone was stolen over the weekend and with it my two-factor app. How do I get back into my account?",
        ),
        (
            "On the sign-in page, after your password, click Use a recovery code.",
            "Enter one of your unused recovery codes.",
            "Go to Profile → Security, turn 2FA off and on again to connect your new phone.",
        ),
        "You can get in with one of the 10 recovery codes you saved when you turned on 2FA: on the sign-in page, after "
        "your password, click Use a recovery code and enter an unused one. Then go to Profile → Security and turn 2FA "
        "off and on again to connect your new phone.",
        (
            FollowUp(
                "I don't have the recovery codes either.",
                (
                    "If you have no recovery codes left, a workspace owner or admin can reset 2FA for you under "
                    "Settings → Members → ⋯ → Reset 2FA.",
                ),
                "Then a workspace owner or admin can reset 2FA for you under Settings → Members → ⋯ → Reset 2FA. After "
                "that you sign in with your password and set 2FA up again on the new phone.",
            ),
            FollowUp(
                "I don't have the recovery codes either, and I'm the only owner of our workspace.",
                (
                    "If you are the only owner, contact support from the email address on the account; we verify "
                    "ownership with a recent invoice number and the last 4 digits of the card on file before resetting "
                    "2FA.",
                    "This takes up to one business day.",
                ),
                "As the only owner, please write to us from the email address on the account with a recent invoice "
                "number and the last 4 digits of the card on file. Once we've verified ownership we reset 2FA for you; "
                "this takes up to one business day.",
                plans=PAID,
            ),
        ),
        terse="new phone, 2fa codes gone, cant log in",
        non_native="Hi, I have change my phone and the authenticator app is not there anymore, so I cannot enter in Lumen. How I can come back in my account?",
        rewrite=(
            "No problem, the recovery codes are made for this. After entering your password, choose Use a "
            "recovery code and type one you haven't used yet. Once you're in, switch 2FA off and back on under "
            "Profile → Security to link the new phone."
        ),
        fixable=True,
    ),
    Wording(
        "2fa-codes-rejected",
        ("2FA code rejected", "Authenticator codes not accepted"),
        (
            "The 6-digit codes from my authenticator keep getting rejected and I'm locked out.",
            "Lumen says my 2FA code is invalid every time, but I'm typing exactly what the app shows.",
        ),
        (
            "Authenticator codes depend on the clock. Turn on automatic date and time on your phone, then try a fresh code.",
            "Enter the code within 30 seconds of it appearing.",
        ),
        "Authenticator codes depend on your phone's clock, so a phone that's a little off produces codes Lumen rejects. "
        "Please turn on automatic date and time on your phone, then enter a fresh code within 30 seconds of it appearing.",
        (
            FollowUp(
                "The phone's time is already set automatically and the codes still fail.",
                (
                    "If you set up Lumen on more than one device, make sure you are reading the code for the right "
                    "account.",
                ),
                "Thanks for checking the clock. If you've set up Lumen on more than one device or account, make sure "
                "you're reading the code of the right Lumen account in the app; the entries can look very similar.",
            ),
            FollowUp(
                "Still can't get in. The codes are definitely from the right account.",
                ("On the sign-in page, after your password, click Use a recovery code.",),
                "Let's get you in another way: on the sign-in page, after your password, click Use a recovery code and "
                "enter one of the recovery codes you saved when you turned on 2FA. You can then set 2FA up again under "
                "Profile → Security.",
            ),
        ),
        terse="2fa codes rejected. locked out",
        rewrite=(
            "Rejected codes are almost always a clock issue: the codes are time-based, so even a small drift on "
            "the phone breaks them. Set the phone's date and time to automatic and type a brand-new code within "
            "30 seconds."
        ),
        fixable=True,
    ),
    Wording(
        "2fa-require",
        ("Require 2FA for all members",),
        ("How can we make two-factor authentication mandatory for everyone in our workspace?",),
        (
            "Owners on the Pro and Enterprise plans can enable Settings → Security → Require 2FA.",
            "Members without 2FA are asked to set it up the next time they sign in.",
        ),
        "As an owner you can switch on Settings → Security → Require 2FA. Members who don't use 2FA yet are asked to "
        "set it up the next time they sign in.",
        (
            FollowUp(
                "Switched it on. What does each person need to do on their side?",
                (
                    "Open Profile → Security.",
                    "Click Enable two-factor authentication.",
                    "Scan the QR code with an authenticator app (Google Authenticator, Microsoft Authenticator, "
                    "1Password, Authy).",
                ),
                "Each person opens Profile → Security, clicks Enable two-factor authentication and scans the QR code "
                "with an authenticator app such as Google Authenticator, Microsoft Authenticator, 1Password or Authy. "
                "Remind them to keep the 10 recovery codes somewhere safe.",
            ),
        ),
        plans=PRO_FEATURES,
        howto=True,
        rewrite=(
            "You can turn that on as an owner under Settings → Security → Require 2FA. Anyone without 2FA will be"
            " asked to set it up the next time they sign in, so nobody is locked out."
        ),
    ),
)

SSO = topic(
    "sso",
    "account",
    "sso-saml",
    Wording(
        "sso-audience",
        ("SSO error: audience mismatch", "SAML setup failing with Okta"),
        ("We're setting up SAML with Okta and every test fails with 'Invalid SAML response: audience mismatch'.",),
        (
            "the Entity ID in your IdP does not match the one in Lumen exactly",
            "Copy it again, including the trailing slash.",
        ),
        "That error means the Entity ID in Okta doesn't exactly match the one Lumen shows. Please copy it again from "
        "Settings → Security → Single sign-on, including the trailing slash, and run Test connection.",
        (
            FollowUp(
                "That was the slash, the test passes now. If we switch on Enforce SSO and something breaks, how do we get back in?",
                (
                    "Owners can always sign in at lumen.app/login?bypass_sso=1 with their password and 2FA.",
                    "Use it to fix the configuration or switch enforcement off.",
                ),
                "Owners can always sign in at lumen.app/login?bypass_sso=1 with their password and 2FA, so you can fix "
                "the configuration or switch enforcement off if anything goes wrong.",
            ),
        ),
        rewrite=(
            "An audience mismatch always comes down to the Entity ID: Okta's must be character for character the "
            "same as the one in Lumen, trailing slash included. Copy it again from Settings → Security → Single "
            "sign-on and run the test once more."
        ),
        fixable=True,
    ),
    Wording(
        "sso-signature",
        ("SSO: Signature validation failed", "Entra ID login not working"),
        ("Our IT team configured Microsoft Entra ID but users get 'Signature validation failed' since this morning.",),
        ("the certificate in Lumen is outdated. IdPs rotate certificates; upload the new metadata.",),
        "That error means the certificate Lumen has for Entra ID is outdated: identity providers rotate their "
        "certificates. Please upload the new metadata from Entra ID and sign-in will work again.",
        (
            FollowUp(
                "Where in Lumen do we upload the new metadata?",
                (
                    "In Lumen, open Settings → Security → Single sign-on (owners only).",
                    "Download the IdP metadata XML and upload it in Lumen, or paste the SSO URL and X.509 certificate.",
                ),
                "An owner opens Settings → Security → Single sign-on in Lumen and uploads the metadata XML downloaded "
                "from Entra ID there (or pastes the SSO URL and X.509 certificate). Then run Test connection.",
            ),
        ),
        rewrite=(
            "Entra ID has most likely rotated its signing certificate, so the one stored in Lumen no longer "
            "matches. Uploading the current metadata from Entra ID fixes it."
        ),
        fixable=True,
    ),
    Wording(
        "sso-not-provisioned",
        ("SSO: User not provisioned", "New staff can't log in with SSO"),
        ("After we enforced SSO, two of our people get 'User not provisioned' when they try to log in.",),
        ("the person is not a member of the workspace yet. Invite them, or turn on Just-in-time provisioning.",),
        "'User not provisioned' means those two people aren't members of your Lumen workspace yet. Invite them under "
        "Settings → Members, or turn on Just-in-time provisioning so people from your identity provider are added when "
        "they first sign in.",
        (
            FollowUp(
                "That worked. And when someone leaves and we remove them in our identity provider, are they out of Lumen right away?",
                (
                    "Removing someone in the IdP stops new sign-ins immediately; existing sessions end within 15 minutes.",
                ),
                "Yes: removing someone in your identity provider stops new sign-ins immediately, and any session they "
                "still have open ends within 15 minutes.",
            ),
        ),
        rewrite=(
            "Those two aren't in your Lumen workspace yet, which is what 'User not provisioned' means. Either "
            "invite them under Settings → Members, or switch on Just-in-time provisioning and they're added on "
            "their first SSO sign-in."
        ),
        fixable=True,
    ),
    Wording(
        "sso-locked-out",
        ("Locked out after enforcing SSO",),
        (
            "We switched on Enforce SSO and now our identity provider is down, so nobody can get in, me included, and I'm the owner.",
        ),
        (
            "Owners can always sign in at lumen.app/login?bypass_sso=1 with their password and 2FA.",
            "Use it to fix the configuration or switch enforcement off.",
        ),
        "Owners can always get in at lumen.app/login?bypass_sso=1 with their Lumen password and 2FA. From there you can "
        "switch Enforce SSO off until your identity provider is back.",
        (
            FollowUp(
                "I'm in, thanks. Can the rest of the team just reset their Lumen passwords meanwhile?",
                ("With SSO enforced, members cannot reset their Lumen password; they sign in through the IdP.",),
                "Not while SSO is enforced: members can't reset a Lumen password then, they sign in through the identity "
                "provider. Once you've switched enforcement off they can use Forgot password on the sign-in page.",
            ),
        ),
        rewrite=(
            "There's a way back in for owners: go to lumen.app/login?bypass_sso=1 and sign in with your Lumen "
            "password and 2FA. You can then turn Enforce SSO off until your identity provider is up again."
        ),
        fixable=True,
    ),
    plans=ENTERPRISE_FEATURES,
)

ACCOUNT_ACCESS = topic(
    "account-locked",
    "account",
    "account-locked",
    Wording(
        "locked-too-many-attempts",
        ("Account locked", "Too many attempts error"),
        ("It says 'Too many attempts, try again later' and I can't sign in at all.",),
        (
            "After 10 failed sign-in attempts in 15 minutes, Lumen locks the account for 30 minutes to protect it.",
            "Resetting your password does not shorten the lock.",
        ),
        "After 10 failed sign-in attempts in 15 minutes, Lumen locks the account for 30 minutes to protect it. Please "
        "wait the 30 minutes and then sign in again or use Forgot password; resetting the password does not shorten "
        "the lock.",
        (
            FollowUp(
                "I'm back in. But I didn't make all those attempts myself. Should I be worried?",
                (
                    "If you did not make these attempts, reset your password afterwards and turn on two-factor authentication.",
                ),
                "To be safe, please reset your password now and turn on two-factor authentication under "
                "Profile → Security; then a password alone is no longer enough to get into your account.",
            ),
        ),
        terse="'Too many attempts, try again later'. cant log in",
        non_native="Hello, when I try to enter it writes 'Too many attempts, try again later' and I can not connect at all. Please help me.",
        rewrite=(
            "The account is locked for 30 minutes after 10 failed sign-ins in 15 minutes; it's a safety measure. "
            "Please give it the 30 minutes (a password reset won't lift it sooner) and then sign in or reset your"
            " password."
        ),
        fixable=True,
    ),
    Wording(
        "access-paused",
        ("Access paused",),
        ("I'm getting 'Your access has been paused' when I log in. Nobody told me anything.",),
        (
            "An account can be suspended by a workspace owner, or by Lumen when an invoice is more than 30 days overdue.",
        ),
        "That message appears when access is paused, either by a workspace owner or by Lumen when an invoice is more "
        "than 30 days overdue. Your workspace has an overdue invoice, so please ask your workspace owner to pay it.",
        (
            FollowUp(
                "I'm the owner, and yes, the invoice is overdue. How do we pay it?",
                (
                    "Open Settings → Billing → Invoices and click Pay now on the open invoice.",
                    "Access is restored within a few minutes of a successful payment.",
                ),
                "Open Settings → Billing → Invoices and click Pay now on the open invoice (update the card under "
                "Payment method first if needed). Access is restored within a few minutes of a successful payment.",
                article="failed-payments",
            ),
        ),
        plans=PAID,
        past_due=True,
        rewrite=(
            "Access gets paused when a workspace has an invoice more than 30 days overdue (an owner can also "
            "pause someone). That's the case for your workspace, so once your owner pays the open invoice, you'll"
            " be able to sign in again."
        ),
    ),
    Wording(
        "lost-email-owner",
        ("Lost access to my email", "Left company, need to move account"),
        (
            "I left my old agency and no longer have that mailbox, but my Lumen account is still tied to it. I'm the owner.",
            "Our previous office manager was the only owner of our Lumen account and she has left, so nobody can get into her mailbox. How do we take over?",
        ),
        (
            "If you are the only owner, contact support from any address and include: the workspace name, the old email "
            "address, the number of a recent invoice and the last 4 digits of the card on file.",
        ),
        "When the only owner has lost the mailbox, you can contact support from any address: please send us the "
        "workspace name, the old email address, the number of a recent invoice and the last 4 digits of the card on "
        "file, and we'll move the sign-in email once ownership is verified.",
        (
            FollowUp(
                "I sent the workspace name, invoice number and card digits yesterday, any update?",
                (
                    "Support confirms the change with a verification message to the old billing contact when possible.",
                    "It can take up to two business days.",
                ),
                "Thanks, we have everything we need. We confirm the change with a verification message to the old "
                "billing contact where possible, and it can take up to two business days; I'll write as soon as it's done.",
            ),
        ),
        plans=PAID,
        rewrite=(
            "We can move the sign-in email for you. Please write to us from whatever address you have now and "
            "include the workspace name, the old email address, a recent invoice number and the last 4 digits of "
            "the card on file; we verify ownership with those before making the change."
        ),
    ),
    Wording(
        "change-email-member",
        ("Change my sign-in email",),
        ("I changed teams and will lose my old mailbox next week. How do I move my Lumen login to my new address?",),
        (
            "Open Profile → Account.",
            "Click Change email, enter the new address and your current password.",
            "Confirm the change from the link we send to the new address within 24 hours.",
        ),
        "You can do it yourself while you still have the old mailbox: open Profile → Account, click Change email, "
        "enter the new address and your current password, and confirm from the link we send to the new address "
        "within 24 hours.",
        (
            FollowUp(
                "Done. Will my invoices and notifications go to the new address too?",
                ("Invoices and notifications move to the new address once it is confirmed.",),
                "Yes, invoices and notifications move to the new address as soon as you've confirmed it; until then "
                "you keep signing in with the old one.",
            ),
        ),
        article="change-email",
        howto=True,
        rewrite=(
            "You can change it yourself under Profile → Account → Change email: enter the new address and your "
            "current password, then click the confirmation link we send to the new address within 24 hours. Best "
            "to do it before the old mailbox goes away."
        ),
    ),
)

TEAM = topic(
    "team-members",
    "account",
    "team-members",
    Wording(
        "invite-missing",
        ("Invitation email never arrived", "Invite not received"),
        ("I invited two new designers yesterday and neither received the invitation.",),
        (
            "Ask the person to check spam, or copy the invite link from ⋯ → Copy invite link and send it yourself.",
            "Domains with strict mail filtering should allow mail from lumen.app.",
        ),
        "Invitations sometimes end up in spam or are held by strict mail filters. You can copy the invite link from "
        "Settings → Members → ⋯ → Copy invite link and send it to them yourself, and their IT team can allow mail "
        "from lumen.app.",
        (
            FollowUp(
                "One of them found it, but her link from last week doesn't work any more.",
                ("Invitations expire after 7 days; you can resend them from the same page.",),
                "Invitations expire after 7 days, so that one has run out. Please resend it from Settings → Members "
                "and she'll get a fresh link.",
            ),
        ),
        plans=PAID,
        rewrite=(
            "Invitation emails are sometimes caught by spam or by strict company filters. The quickest fix is to "
            "copy each invite link (Settings → Members → ⋯ → Copy invite link) and send it to them yourself; "
            "asking their IT to allow lumen.app helps for the future."
        ),
        fixable=True,
    ),
    Wording(
        "make-admin",
        ("Make a colleague admin", "Give a colleague admin rights"),
        (
            "How do I make my colleague an admin so she can manage projects while I'm away?",
            "My colleague needs to manage projects and members while I'm on leave. How do I give her admin rights?",
        ),
        ("Open Settings → Members, click ⋯ next to the person and choose Change role.",),
        "Admin is the right role for that: admins can do everything a member can, plus manage members, projects and "
        "integrations. Open Settings → Members, click ⋯ next to your colleague and choose Change role, then Admin.",
        (
            FollowUp(
                "Done, thanks. Does making her admin cost an extra seat?",
                ("Each active member counts as a seat on paid plans.",),
                "No: seats count active members, not roles. She's already an active member, so changing her role "
                "doesn't change your bill.",
                plans=PAID,
            ),
            FollowUp(
                "Thanks! Could she also delete the workspace while I'm away, if it came to that?",
                ("Owner: everything, plus billing, security settings and deleting the workspace.",),
                "No: deleting the workspace, billing and security settings are for owners only. Admins manage members, "
                "projects and integrations, which covers what she needs while you're away.",
            ),
        ),
        howto=True,
        terse="how to make colleague admin?",
        non_native="Hello, how I can put my colleague as admin? She must manage the projects when I am in holidays.",
        rewrite=(
            "For that she needs the Admin role: admins can do everything members can and also manage members, "
            "projects and integrations. Go to Settings → Members, click ⋯ next to her name and switch her role to"
            " Admin."
        ),
    ),
    Wording(
        "seat-after-removal",
        ("Seat still billed after removing someone", "Seat count question"),
        ("We removed a contractor last week but the seat is still on our bill. How do seats work?",),
        (
            "The seat is freed immediately; on monthly plans the next invoice is lower, on annual plans you receive a prorated credit.",
        ),
        "Each active member is a seat. The contractor's seat was freed as soon as you removed them; the invoice you "
        "already have stays as it is, and on a monthly plan the next invoice is lower (on an annual plan you get a "
        "prorated credit instead).",
        (
            FollowUp(
                "OK. What happened to the contractor's time entries? We still need them for invoicing.",
                ("Their projects, time entries and invoices stay in the workspace and are reassigned to you.",),
                "Nothing is lost: their projects, time entries and invoices stay in the workspace and were reassigned "
                "to you, so you can still invoice that time.",
            ),
        ),
        plans=PAID,
        rewrite=(
            "A seat is freed the moment someone is removed, but invoices that were already issued don't change. "
            "On a monthly plan you'll see the lower amount on the next invoice; on an annual plan it comes back "
            "as a prorated credit."
        ),
    ),
    Wording(
        "free-member-limit",
        ("Can't add a third team member",),
        ("We're on the free plan and I can't add a third person to our workspace. Is that a bug?",),
        ("Free (up to 2 members, 3 active projects)",),
        "It's not a bug: the Free plan includes up to 2 members and 3 active projects. To add a third person, upgrade "
        "under Settings → Billing → Change plan; Starter has no project limit and is billed per member.",
        (
            FollowUp(
                "If we upgrade to Starter today, what do we pay this month?",
                (
                    "Upgrades take effect immediately. You pay the prorated difference for the rest of the current period on the same day.",
                ),
                "Upgrades take effect immediately, and you pay only the prorated difference for the rest of the current "
                "period, on the same day.",
            ),
        ),
        article="plan-changes",
        plans=(FREE,),
        rewrite=(
            "The Free plan is limited to 2 members and 3 active projects, so a third person can't join yet. "
            "Upgrading under Settings → Billing → Change plan (Starter, for example) lifts that limit."
        ),
    ),
)

EXPORTS = topic(
    "data-export",
    "account",
    "data-export",
    Wording(
        "export-stuck",
        ("Data export stuck", "Export stuck on Preparing"),
        ("I started a full export two days ago and it still says 'Preparing'.",),
        ("cancel it and start again; if it fails twice, contact support with the workspace name.",),
        "An export that's been on \"Preparing\" for more than 24 hours won't finish by itself: please cancel it and "
        "start it again. If it gets stuck a second time, tell us the workspace name and we'll look into it.",
        (
            FollowUp(
                "Restarted it and it finished, thanks. But the link in the email from last week's export doesn't open.",
                ("start a new export; links are valid for 7 days.",),
                "Download links are valid for 7 days, so last week's has expired. The new export's email has a fresh "
                "link; if you need another one later, just start a new export.",
            ),
        ),
        non_native="Hello, I make the export of all the data two days ago but it stays on 'Preparing' always. What I must do?",
        rewrite=(
            "Sorry about that. If an export has been preparing for more than 24 hours, it's stuck: cancel it and "
            "run it again. Should the second try get stuck too, send us your workspace name and we'll "
            "investigate."
        ),
        fixable=True,
    ),
    Wording(
        "export-for-auditors",
        ("How to export all our data", "Complete export for our auditors"),
        (
            "We need a complete export of all projects and time entries for our auditors. What's the best way?",
            "Our auditors have asked for everything: projects, time entries, invoices. How do I get them a full copy?",
        ),
        (
            "Open Settings → Workspace → Export data.",
            "Choose Full export and click Start export.",
            "The ZIP file contains CSV files for projects, tasks, time entries, clients, invoices and payments, plus all "
            "uploaded attachments in their original format.",
        ),
        "A full export gives them everything: open Settings → Workspace → Export data, choose Full export and click "
        "Start export. You'll get an email with a download link; the ZIP has CSV files for projects, tasks, time "
        "entries, clients, invoices and payments, plus all attachments.",
        (
            FollowUp(
                "The auditors only want the time entries for 2025. Can I export just those?",
                (
                    "Every report has an Export button with CSV, XLSX and PDF options. Exports respect the filters you have set.",
                ),
                "Yes: open the time report, filter it to 2025 and use its Export button (CSV, XLSX or PDF). Exports "
                "keep the filters you've set.",
            ),
        ),
        plans=TIME_TRACKING,
        howto=True,
        terse="need full export for auditors. how?",
        rewrite=(
            "The full workspace export is what you need: Settings → Workspace → Export data → Full export → Start"
            " export. We email you a download link; the ZIP holds CSVs of projects, tasks, time entries, clients,"
            " invoices and payments, and all attachments."
        ),
    ),
    Wording(
        "export-umlauts",
        ("Export shows weird characters", "Umlauts broken in CSV export"),
        ("The CSV export shows weird characters instead of umlauts when I open it in Excel.",),
        ("the CSV files are UTF-8. Use Data → From Text/CSV in Excel and choose UTF-8.",),
        "The CSV files are UTF-8, and Excel doesn't assume that when you double-click a file. Open it with "
        "Data → From Text/CSV in Excel and choose UTF-8, and the umlauts show correctly.",
        (
            FollowUp(
                "That fixed it, thanks! Can I get our client invoices as PDFs as well?",
                (
                    "Open Invoices, select the invoices and choose Download PDF. Up to 200 invoices are bundled in one ZIP.",
                ),
                "Yes: open Invoices, select the invoices you need and choose Download PDF; up to 200 are bundled in one "
                "ZIP.",
            ),
        ),
        rewrite=(
            "The export is UTF-8, but Excel guesses another encoding when you double-click a CSV. Import it "
            "instead via Data → From Text/CSV and pick UTF-8, and the umlauts come out right."
        ),
        fixable=True,
    ),
    Wording(
        "export-link-expired",
        ("Export link expired",),
        ("The download link for our data export says it has expired. We didn't get to it last week.",),
        ("start a new export; links are valid for 7 days.",),
        "Export links are valid for 7 days, so that one can't be used any more. Please start a new export under "
        "Settings → Workspace → Export data; you'll get a fresh link by email.",
        (
            FollowUp(
                "How long will the new one take? Our workspace is quite big.",
                ("usually within 30 minutes, up to 24 hours for very large workspaces",),
                "It's usually ready within 30 minutes; very large workspaces can take up to 24 hours. We email the link "
                "as soon as it's done.",
            ),
        ),
        rewrite=(
            "Download links expire after 7 days, so that one has run out. Just start a new export under Settings "
            "→ Workspace → Export data and we'll email a new link."
        ),
        fixable=True,
    ),
)

DELETION = topic(
    "account-deletion",
    "account",
    "account-deletion",
    Wording(
        "delete-workspace",
        ("Delete our workspace", "Closing our account"),
        ("Please delete our workspace and all data, we're closing the business.",),
        (
            "Cancel any paid subscription first under Settings → Billing.",
            "Open Settings → Workspace → Delete workspace.",
            "Type the workspace name to confirm.",
            "The workspace is deactivated at once and permanently deleted after 30 days.",
        ),
        "Sorry to see you go. An owner can delete the workspace: cancel any paid subscription under Settings → Billing "
        "first, then open Settings → Workspace → Delete workspace and type the workspace name to confirm. It's "
        "deactivated at once and permanently deleted after 30 days.",
        (
            FollowUp(
                "Before we do that, can we keep a copy of our projects and invoices?",
                ("Deleting is permanent after the grace period. Export your data first",),
                "Yes, and it's worth doing first, since deletion is permanent after the 30 days: run a full export under "
                "Settings → Workspace → Export data and keep the ZIP before you delete.",
            ),
        ),
        howto=True,
        rewrite=(
            "I'm sorry you're closing. Deleting is something an owner does in the app: first cancel the "
            "subscription under Settings → Billing, then go to Settings → Workspace → Delete workspace and "
            "confirm with the workspace name. The workspace is switched off right away and erased after 30 days."
        ),
    ),
    Wording(
        "restore-workspace",
        ("Accidentally deleted workspace", "Restore a deleted workspace"),
        ("My colleague deleted our workspace by mistake yesterday! Can it be restored?",),
        ("During those 30 days an owner can restore it by contacting support.",),
        "Yes: a deleted workspace can be restored for 30 days, and an owner only needs to ask us. Please confirm that "
        "you're an owner and the workspace name, and we'll restore it.",
        (
            FollowUp(
                "I'm an owner. Just so I know: what if we'd noticed only after the 30 days?",
                ("After that, data cannot be recovered, including backups, which expire within a further 35 days.",),
                "After the 30 days the data can't be recovered, including from backups, which expire within a further "
                "35 days. So you caught it in time.",
            ),
        ),
        terse="colleague deleted our workspace by mistake. restore??",
        rewrite=(
            "Good news: deleted workspaces stay restorable for 30 days, and an owner just has to ask us. Tell me "
            "the workspace name and confirm you're an owner, and I'll get it restored."
        ),
    ),
    Wording(
        "gdpr-erasure",
        ("GDPR deletion request", "Delete my personal data"),
        ("Under GDPR I'm asking you to delete all personal data you hold about me.",),
        (
            "You can also ask support to delete your data. We confirm your identity from the account's email address and complete the request within 30 days.",
        ),
        "We'll take care of it. We confirm your identity from the email address on your account, so please write from "
        "that address if this isn't it, and we complete the request within 30 days.",
        (
            FollowUp(
                "I'm also the owner of our team's workspace. Does that change anything?",
                ("You must first leave every workspace or transfer ownership of any workspace you own.",),
                "Yes: before your personal account can be deleted, you need to leave every workspace and transfer "
                "ownership of the one you own to a colleague (Settings → Members).",
            ),
        ),
        rewrite=(
            "Understood, we'll handle your erasure request. We verify it's you through the email address on the "
            "account (please reply from that address if you wrote from another one), and the deletion is "
            "completed within 30 days."
        ),
    ),
)

RETENTION = topic(
    "data-retention",
    "account",
    "data-retention",
    Wording(
        "restore-deleted-project",
        ("Deleted a project by accident",),
        ("I deleted a project by accident this morning. Is it gone for good?",),
        ("Deleted items: projects, clients and time entries go to Trash and can be restored for 30 days.",),
        "It isn't gone: deleted projects, clients and time entries go to Trash, and you can restore them from there "
        "for 30 days.",
        (
            FollowUp(
                "Found it, thanks. There's another one I deleted about six weeks ago. Can you get it back from a backup?",
                ("We cannot restore a single item from a backup; use Trash for that.",),
                "I'm afraid not: we can't restore a single item from a backup, and after 30 days it's no longer in "
                "Trash.",
            ),
        ),
        rewrite="Don't worry, it's not gone: deleted projects go to Trash and can be restored from there for 30 days.",
        fixable=True,
    ),
    Wording(
        "audit-log-retention",
        ("How long is the audit log kept",),
        ("How long do you keep our audit log? Our auditors want two years of history.",),
        ("Audit log (Enterprise): kept for 2 years.",),
        "The audit log is kept for 2 years, so your auditors can see the full two years.",
        (
            FollowUp(
                "Good. And how long are backups kept?",
                ("Backups: taken every hour, kept for 35 days, encrypted at rest.",),
                "Backups are taken every hour and kept for 35 days, encrypted at rest, so they cover the last five weeks.",
            ),
        ),
        plans=ENTERPRISE_FEATURES,
        howto=True,
        rewrite="We keep the audit log for 2 years, so two years of history is available for your auditors.",
    ),
)

TOPICS: tuple[Topic, ...] = (PASSWORD, TWO_FACTOR, SSO, ACCOUNT_ACCESS, TEAM, EXPORTS, DELETION, RETENTION)
