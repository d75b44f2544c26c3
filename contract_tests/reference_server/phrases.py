"""What the demo calls say: short scripted conversations in Hindi, English and Hinglish.

Pure data. The generator cycles through a script to build a transcript of any length, so a
5,000-message call reads like a (very long) conversation rather than noise.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

Script = tuple[tuple[str, str], ...]  # (role, content) pairs, alternating from the agent

HINDI: tuple[Script, ...] = (
    (
        ("assistant", "नमस्ते, मैं प्रिया हूँ। मैं आपकी क्या मदद कर सकती हूँ?"),
        ("user", "मेरा पिछले महीने का बिल ज़्यादा आया है।"),
        ("assistant", "मैं आपका खाता देख रही हूँ, कृपया एक पल रुकिए।"),
        ("user", "ठीक है, मैं रुकता हूँ।"),
        ("assistant", "आपसे दो बार शुल्क लिया गया था। मैं रिफ़ंड शुरू कर रही हूँ।"),
        ("user", "धन्यवाद, रिफ़ंड कब तक आएगा?"),
        ("assistant", "तीन कामकाजी दिनों में आपके खाते में आ जाएगा।"),
    ),
    (
        ("assistant", "नमस्कार, सनराइज़ क्लिनिक में आपका स्वागत है।"),
        ("user", "मुझे कल डॉक्टर से मिलने का समय चाहिए।"),
        ("assistant", "कल सुबह ग्यारह बजे और शाम चार बजे का समय खाली है।"),
        ("user", "शाम चार बजे ठीक रहेगा।"),
        ("assistant", "आपका समय बुक हो गया है। आपको एसएमएस मिल जाएगा।"),
    ),
)

ENGLISH: tuple[Script, ...] = (
    (
        ("assistant", "Hello, this is Arjun from thinnest.ai. How can I help you today?"),
        ("user", "Hi, I wanted to ask about your plans."),
        ("assistant", "Sure. We have a starter plan and a growth plan. How many calls a month?"),
        ("user", "Around two thousand, mostly inbound support."),
        ("assistant", "Then the growth plan fits best. Shall I email you the details?"),
        ("user", "Yes please, send it to my work address."),
        ("assistant", "Done. Is there anything else I can help with?"),
    ),
    (
        ("assistant", "Hi, this is a reminder about your payment due on Friday."),
        ("user", "I already paid it yesterday."),
        ("assistant", "Thank you. It may take a day to reflect. I will note it on your account."),
        ("user", "Okay, thanks."),
    ),
)

HINGLISH: tuple[Script, ...] = (
    (
        ("assistant", "Hello, main Priya bol rahi hoon. Aapki kya help kar sakti hoon?"),
        ("user", "Mera order abhi tak deliver nahi hua hai."),
        ("assistant", "Koi baat nahi, aapka order number bata dijiye please."),
        ("user", "Order number hai 4 5 7 8 1 2."),
        ("assistant", "Thank you. Aapka order kal tak deliver ho jayega."),
        ("user", "Theek hai, par tracking link bhej dijiye."),
        ("assistant", "Bilkul, main abhi SMS pe link bhej rahi hoon."),
    ),
    (
        ("assistant", "Namaste, Kavya here. Appointment book karna hai ya reschedule?"),
        ("user", "Reschedule karna hai, Monday ko nahi aa paunga."),
        ("assistant", "Tuesday morning 10 baje ka slot available hai, chalega?"),
        ("user", "Haan, Tuesday 10 baje perfect hai."),
    ),
)

SCRIPTS: Mapping[str, tuple[Script, ...]] = MappingProxyType(
    {"hi": HINDI, "en": ENGLISH, "hinglish": HINGLISH}
)

OVERVIEWS: Mapping[str, tuple[str, tuple[str, ...], tuple[str, ...], str]] = MappingProxyType(
    {
        # language -> (overview, key_topics, action_items, outcome) of a typical call
        "hi": (
            "Customer reported a double charge; agent started a refund.",
            ("billing", "refund"),
            ("Process refund within 3 days",),
            "resolved",
        ),
        "en": (
            "Prospect asked about plans; agent recommended the growth plan.",
            ("pricing", "plans"),
            ("Email plan details",),
            "follow_up",
        ),
        "hinglish": (
            "Customer asked about a late delivery; agent shared the tracking link.",
            ("delivery", "order status"),
            ("Send tracking link by SMS",),
            "resolved",
        ),
    }
)
